// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>Echoes everything back; on the client's FIN it finishes echoing, then sends its own FIN.</summary>
public sealed class LabEchoServer : LabTcpServer
{
    public LabEchoServer(NetworkNamespace ns, params int[] ports)
        : base(ns, ports)
    {
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[16384];
        while (true)
        {
            int n = await connection.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false);
            if (n == 0)
            {
                connection.Shutdown(SocketShutdown.Send);
                return;
            }

            await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stopping).ConfigureAwait(false);
        }
    }
}
