// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.Tls.Validation;

namespace Bellows.Proxy.Tls;

/// <summary>
/// The HTML answer to an HTTP request inside TLS whose upstream certificate failed a check (profile
/// <c>on_failure: warn</c>). It names the problems and offers a link that accepts them for the override
/// duration; following it records the override and sends the browser back to the page it asked for.
/// </summary>
internal static class WarningPage
{
    /// <summary>The path prefix of the accept link; requests to it never reach the server.</summary>
    public const string AcceptPrefix = "/.bellows/accept/";

    private const int MaxRequestHead = 8192;

    public static async Task ServeAsync(SslStream stream, TlsInspector inspector, IPAddress client, string server,
        X509Certificate2 leaf, CertificateVerdict verdict, CancellationToken cancellationToken)
    {
        string? path = await ReadRequestPathAsync(stream, cancellationToken).ConfigureAwait(false);
        if (path is null)
        {
            return;
        }

        string response;
        if (path.StartsWith(AcceptPrefix, StringComparison.Ordinal)
            && inspector.Overrides.TryAccept(path[AcceptPrefix.Length..], client, server, out var back))
        {
            response = "HTTP/1.1 303 See Other\r\nLocation: " + back + "\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
        }
        else
        {
            var token = inspector.Overrides.Offer(client, server, TlsInspector.Fingerprint(leaf), path.StartsWith(AcceptPrefix, StringComparison.Ordinal) ? "/" : path);
            var body = Render(server, leaf, verdict, AcceptPrefix + token, inspector.Profile.OverrideDuration);
            response = string.Create(CultureInfo.InvariantCulture,
                $"HTTP/1.1 403 Forbidden\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(response), cancellationToken).ConfigureAwait(false);
        await stream.ShutdownAsync().ConfigureAwait(false);
    }

    /// <summary>The request target of the first request line, or null if no request head arrives (bounded).</summary>
    internal static async Task<string?> ReadRequestPathAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            filled += n;
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n"u8);
            if (end >= 0)
            {
                var parts = Encoding.ASCII.GetString(buffer, 0, end).Split(' ');
                return parts.Length == 3 && parts[1].StartsWith('/') ? parts[1] : "/";
            }
        }

        return null;
    }

    /// <summary>"90 seconds", "10 minutes", "2 hours", "3 days": the largest unit that divides the duration exactly.</summary>
    internal static string Describe(TimeSpan duration)
    {
        long seconds = (long)duration.TotalSeconds;
        var (count, unit) = seconds % 86_400 == 0 && seconds > 0 ? (seconds / 86_400, "day")
            : seconds % 3_600 == 0 && seconds > 0 ? (seconds / 3_600, "hour")
            : seconds % 60 == 0 && seconds > 0 ? (seconds / 60, "minute")
            : (seconds, "second");
        return string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}");
    }

    internal static string Render(string server, X509Certificate2 leaf, CertificateVerdict verdict, string acceptLink, TimeSpan duration)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var inv = CultureInfo.InvariantCulture;
        return string.Create(inv, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Bellows: certificate problem for {H(server)}</title></head>
            <body>
            <h1>The certificate of {H(server)} failed inspection</h1>
            <p>Problems: <strong>{H(verdict.ToString())}</strong></p>
            <table>
            <tr><th>Subject</th><td>{H(leaf.Subject)}</td></tr>
            <tr><th>Issuer</th><td>{H(leaf.Issuer)}</td></tr>
            <tr><th>Valid</th><td>{leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}</td></tr>
            <tr><th>SHA-256</th><td>{TlsInspector.Fingerprint(leaf)}</td></tr>
            </table>
            <p><a href="{H(acceptLink)}">Continue to {H(server)} anyway</a> (accepted for {Describe(duration)}).</p>
            </body></html>

            """);
    }
}
