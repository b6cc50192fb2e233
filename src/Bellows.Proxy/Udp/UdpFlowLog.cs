// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Udp;

/// <summary>UDP flow events. Event ids 2100-2199.</summary>
internal static partial class UdpFlowLog
{
    [LoggerMessage(EventId = 2100, EventName = "FlowClosed", Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "flow {Id} closed: client={Client} dst={Destination} listener={Listener} worker={Worker} dgrams_up={DatagramsUp} up={BytesUp} dgrams_down={DatagramsDown} down={BytesDown} early_dropped={EarlyDropped} duration_ms={DurationMs} reason={Reason}")]
    public static partial void FlowClosed(ILogger logger, long id, string client, string destination, string listener, int worker,
        long datagramsUp, long bytesUp, long datagramsDown, long bytesDown, long earlyDropped, long durationMs, string reason);

    [LoggerMessage(EventId = 2101, EventName = "FlowSetupFailed", Level = LogLevel.Warning,
        Message = "udp listener {Listener}: cannot open a flow {Client} -> {Destination}: {Error}")]
    public static partial void FlowSetupFailed(ILogger logger, string listener, string client, string destination, string error);
}
