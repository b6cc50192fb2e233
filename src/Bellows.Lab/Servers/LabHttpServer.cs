// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>
/// A small HTTP/1.1 server (GET only, keep-alive) for the lab:
/// <c>/</c> a greeting, <c>/whoami</c> the client address the server sees, <c>/bytes/N</c> N bytes of
/// <see cref="LabPattern"/>.
/// </summary>
public sealed class LabHttpServer : LabTcpServer
{
    private const int MaxHeader = 16384;

    public LabHttpServer(NetworkNamespace ns, params int[] ports)
        : base(ns, ports)
    {
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        var buffer = new byte[MaxHeader];
        int filled = 0;
        while (true)
        {
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (filled == buffer.Length)
                {
                    return;
                }

                int n = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stopping).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                filled += n;
            }

            var request = Encoding.ASCII.GetString(buffer, 0, end);
            int consumed = end + 4;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (!await RespondAsync(connection, request, stopping).ConfigureAwait(false))
            {
                connection.Shutdown(SocketShutdown.Send);
                return;
            }
        }
    }

    /// <summary>Writes one response; returns whether the connection stays open.</summary>
    private static async Task<bool> RespondAsync(Socket connection, string request, CancellationToken stopping)
    {
        var lines = request.Split("\r\n");
        var parts = lines[0].Split(' ');
        string path = parts.Length > 1 ? parts[1] : "/";
        bool http10 = parts.Length > 2 && parts[2] == "HTTP/1.0";
        bool close = http10;
        foreach (var header in lines.Skip(1))
        {
            if (header.StartsWith("connection:", StringComparison.OrdinalIgnoreCase))
            {
                string value = header[11..].Trim();
                close = value.Equals("close", StringComparison.OrdinalIgnoreCase) || (http10 && !value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase));
            }
        }

        if (path.StartsWith("/bytes/", StringComparison.Ordinal) && long.TryParse(path.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
        {
            await SendHeadAsync(connection, 200, length, close, "application/octet-stream", stopping).ConfigureAwait(false);
            await SendPatternAsync(connection, length, stopping).ConfigureAwait(false);
            return !close;
        }

        string body = path switch
        {
            "/" => "hello from the bellows lab server\n",
            "/whoami" => (connection.RemoteEndPoint?.ToString() ?? "?") + "\n",
            _ => "",
        };
        int status = body.Length > 0 ? 200 : 404;
        var bytes = Encoding.ASCII.GetBytes(status == 200 ? body : "not found\n");
        await SendHeadAsync(connection, status, bytes.Length, close, "text/plain", stopping).ConfigureAwait(false);
        await connection.SendAsync(bytes, SocketFlags.None, stopping).ConfigureAwait(false);
        return !close;
    }

    private static async Task SendHeadAsync(Socket connection, int status, long length, bool close, string type, CancellationToken stopping)
    {
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: {type}\r\nContent-Length: {length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
        await connection.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None, stopping).ConfigureAwait(false);
    }

    private static async Task SendPatternAsync(Socket connection, long length, CancellationToken stopping)
    {
        var chunk = new byte[Math.Min(length, 256 * 1024)];
        for (long offset = 0; offset < length; offset += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, length - offset);
            LabPattern.Fill(offset, chunk.AsSpan(0, n));
            await connection.SendAsync(chunk.AsMemory(0, n), SocketFlags.None, stopping).ConfigureAwait(false);
        }
    }
}
