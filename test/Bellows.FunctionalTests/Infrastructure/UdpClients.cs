// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Lab.Network;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>UDP sockets opened inside the client namespace by the test process.</summary>
internal static class UdpClients
{
    public static List<Socket> Create(NetworkNamespace ns, int count, AddressFamily family = AddressFamily.InterNetwork) =>
        ns.Invoke(() => Enumerable.Range(0, count).Select(_ =>
        {
            var s = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
            s.ReceiveBufferSize = 1 << 20;
            return s;
        }).ToList());

    /// <summary>Receives one datagram (or fails after <paramref name="timeout"/>); returns its payload and source.</summary>
    public static async Task<(byte[] Data, IPEndPoint From)> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cts = new CancellationTokenSource(timeout);
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cts.Token);
        return (buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
    }
}
