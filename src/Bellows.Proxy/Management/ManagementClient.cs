// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Text;
using Bellows.Proxy.Status;

namespace Bellows.Proxy.Management;

/// <summary>Talks to a running Bellows over its management socket.</summary>
public static class ManagementClient
{
    public static async Task<string> SendAsync(string path, string command, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<ProxyStatus> GetStatusAsync(string path, CancellationToken cancellationToken = default)
    {
        string json = await SendAsync(path, "status", cancellationToken).ConfigureAwait(false);
        return ProxyStatusJson.Deserialize(json) ?? throw new InvalidDataException("empty status answer");
    }
}
