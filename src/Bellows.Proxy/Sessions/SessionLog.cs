// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Sessions;

/// <summary>The one line every session writes when it ends. Event ids 2000-2099.</summary>
public static partial class SessionLog
{
    [LoggerMessage(EventId = 2000, EventName = "SessionClosed", Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "session {Id} closed: client={Client} dst={Destination} listener={Listener} worker={Worker} up={BytesUp} down={BytesDown} duration_ms={DurationMs} reason={Reason}")]
    private static partial void SessionClosed(ILogger logger, long id, string client, string destination, string listener,
        int worker, long bytesUp, long bytesDown, long durationMs, string reason);

    [LoggerMessage(EventId = 2001, EventName = "TlsSessionClosed", Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "session {Id} closed: client={Client} dst={Destination} listener={Listener} worker={Worker} up={BytesUp} down={BytesDown} duration_ms={DurationMs} reason={Reason} tls={Outcome} sni={Sni} alpn={Alpn} offered_alpn={OfferedAlpn} client_tls={ClientTls} server_tls={ServerTls} verdict={Verdict} cert={Certificate} ja4={Ja4} detail={Detail}")]
    private static partial void TlsSessionClosed(ILogger logger, long id, string client, string destination, string listener,
        int worker, long bytesUp, long bytesDown, long durationMs, string reason, string outcome, string sni, string alpn,
        string offeredAlpn, string clientTls, string serverTls, string verdict, string certificate, string ja4, string detail);

    public static void Closed(ILogger logger, SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(record);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        if (record.Tls is { } tls)
        {
            TlsSessionClosed(logger, record.Id, record.Client.ToString(), record.Destination?.ToString() ?? "-", record.Listener,
                record.Worker, record.BytesUp, record.BytesDown, (long)record.Duration.TotalMilliseconds, record.Reason.ToString(),
                tls.Outcome, tls.ServerName ?? "-", tls.Alpn ?? "-", tls.OfferedAlpn ?? "-",
                Pair(tls.ClientVersion, tls.ClientCipher), Pair(tls.ServerVersion, tls.ServerCipher),
                Quote(tls.Verdict), tls.Certificate ?? "-", tls.Ja4 ?? "-", Quote(tls.Detail));
            return;
        }

        SessionClosed(logger, record.Id, record.Client.ToString(), record.Destination?.ToString() ?? "-", record.Listener,
            record.Worker, record.BytesUp, record.BytesDown, (long)record.Duration.TotalMilliseconds, record.Reason.ToString());
    }

    private static string Pair(string? version, string? cipher) => version is null ? "-" : version + "/" + cipher;

    /// <summary>Free text goes in quotes so a log parser can still split the line on spaces.</summary>
    private static string Quote(string? text) => text is null ? "-" : "\"" + text.Replace('"', '\'') + "\"";
}
