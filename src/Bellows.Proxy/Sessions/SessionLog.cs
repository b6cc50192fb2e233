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

    public static void Closed(ILogger logger, SessionRecord record)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(record);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        SessionClosed(logger, record.Id, record.Client.ToString(), record.Destination?.ToString() ?? "-", record.Listener,
            record.Worker, record.BytesUp, record.BytesDown, (long)record.Duration.TotalMilliseconds, record.Reason.ToString());
    }
}
