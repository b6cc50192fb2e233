// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Text;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>
/// A plain-text service on a port the gateway treats as TLS (8443): reads one line, answers
/// <c>plain: LINE</c> and closes. For "non-TLS bytes on a TLS port" tests.
/// </summary>
public sealed class LabLineServer : LabTcpServer
{
    public const int Port = 8443;
    public const string AnswerPrefix = "plain: ";

    private const int MaxLine = 4096;

    public LabLineServer(NetworkNamespace ns, params int[] ports)
        : base(ns, ports)
    {
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[MaxLine];
        int filled = 0;
        int newline;
        while ((newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n')) < 0 && filled < buffer.Length)
        {
            int n = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stopping).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
        }

        string line = Encoding.ASCII.GetString(buffer, 0, newline < 0 ? filled : newline).TrimEnd('\r');
        await connection.SendAsync(Encoding.ASCII.GetBytes(AnswerPrefix + line + "\n"), SocketFlags.None, stopping).ConfigureAwait(false);
        connection.Shutdown(SocketShutdown.Send);

        // Drain until the client closes, so our close is a FIN and never a reset for unread bytes.
        while (await connection.ReceiveAsync(buffer, SocketFlags.None, stopping).ConfigureAwait(false) > 0)
        {
        }
    }
}
