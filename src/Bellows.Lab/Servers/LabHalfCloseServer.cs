// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>
/// Reads until the client half-closes, waits a moment, then answers "&lt;bytes&gt; &lt;sha256&gt;\n" followed by
/// <see cref="TrailerLength"/> pattern bytes. A proxy without half-close propagation never delivers the client's
/// FIN (the server waits forever) or tears the session down before the answer arrives.
/// </summary>
public sealed class LabHalfCloseServer : LabTcpServer
{
    public const int TrailerLength = 1 << 20;

    public LabHalfCloseServer(NetworkNamespace ns, params int[] ports)
        : base(ns, ports)
    {
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }

        await Task.Delay(300, stopping).ConfigureAwait(false);
        string line = string.Create(CultureInfo.InvariantCulture, $"{total} {Convert.ToHexStringLower(hash.GetHashAndReset())}\n");
        await connection.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None, stopping).ConfigureAwait(false);
        var trailer = new byte[TrailerLength];
        LabPattern.Fill(0, trailer);
        await connection.SendAsync(trailer, SocketFlags.None, stopping).ConfigureAwait(false);
        connection.Shutdown(SocketShutdown.Send);
    }
}
