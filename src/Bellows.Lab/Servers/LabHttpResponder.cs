// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text;

namespace Bellows.Lab.Servers;

/// <summary>
/// The lab's HTTP/1.1 request loop (GET only, keep-alive) over any stream, so the plain server runs it on a
/// socket and the TLS origin inside an <see cref="System.Net.Security.SslStream"/>:
/// <c>/</c> a greeting, <c>/whoami</c> the client address the server sees, <c>/bytes/N</c> N bytes of
/// <see cref="LabPattern"/>, and any fixed <see cref="LabHttpFile"/>.
/// </summary>
internal sealed class LabHttpResponder(string greeting, IReadOnlyDictionary<string, LabHttpFile>? files)
{
    private const int MaxHeader = 16384;

    /// <summary>
    /// Serves requests until the client closes or asks to; then <paramref name="closeWrite"/> ends our side
    /// (a FIN on a socket; close_notify and a FIN under TLS).
    /// </summary>
    public async Task ServeAsync(Stream stream, string remote, Func<Task> closeWrite, CancellationToken stopping)
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

                int n = await stream.ReadAsync(buffer.AsMemory(filled), stopping).ConfigureAwait(false);
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
            if (!await RespondAsync(stream, remote, request, stopping).ConfigureAwait(false))
            {
                await stream.FlushAsync(stopping).ConfigureAwait(false);
                await closeWrite().ConfigureAwait(false);
                return;
            }
        }
    }

    /// <summary>Writes one response; returns whether the connection stays open.</summary>
    private async Task<bool> RespondAsync(Stream stream, string remote, string request, CancellationToken stopping)
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
            await SendHeadAsync(stream, 200, length, close, "application/octet-stream", stopping).ConfigureAwait(false);
            await SendPatternAsync(stream, length, stopping).ConfigureAwait(false);
            return !close;
        }

        if (files is not null && files.TryGetValue(path, out var file))
        {
            await SendHeadAsync(stream, 200, file.Body.Length, close, file.ContentType, stopping).ConfigureAwait(false);
            await stream.WriteAsync(file.Body, stopping).ConfigureAwait(false);
            return !close;
        }

        string body = path switch
        {
            "/" => greeting,
            "/whoami" => remote + "\n",
            _ => "",
        };
        int status = body.Length > 0 ? 200 : 404;
        var bytes = Encoding.ASCII.GetBytes(status == 200 ? body : "not found\n");
        await SendHeadAsync(stream, status, bytes.Length, close, "text/plain", stopping).ConfigureAwait(false);
        await stream.WriteAsync(bytes, stopping).ConfigureAwait(false);
        return !close;
    }

    private static async Task SendHeadAsync(Stream stream, int status, long length, bool close, string type, CancellationToken stopping)
    {
        string head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Type: {type}\r\nContent-Length: {length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stopping).ConfigureAwait(false);
    }

    private static async Task SendPatternAsync(Stream stream, long length, CancellationToken stopping)
    {
        var chunk = new byte[Math.Min(length, 256 * 1024)];
        for (long offset = 0; offset < length; offset += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, length - offset);
            LabPattern.Fill(offset, chunk.AsSpan(0, n));
            await stream.WriteAsync(chunk.AsMemory(0, n), stopping).ConfigureAwait(false);
        }
    }
}
