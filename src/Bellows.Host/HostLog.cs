// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Host;

/// <summary>Process start-up and stop events. Event ids 100-199.</summary>
internal static partial class HostLog
{
    [LoggerMessage(EventId = 100, EventName = "FdLimit", Level = LogLevel.Information,
        Message = "open-files limit raised to the hard limit: {Limit}")]
    public static partial void FdLimit(ILogger logger, long limit);

    [LoggerMessage(EventId = 101, EventName = "ListenFailed", Level = LogLevel.Critical,
        Message = "cannot open listeners ({Error}): {Message}; TPROXY listeners need root (CAP_NET_ADMIN) and a free port")]
    public static partial void ListenFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 102, EventName = "ManagementSocket", Level = LogLevel.Information,
        Message = "management socket {Path} (root only)")]
    public static partial void ManagementSocket(ILogger logger, string path);

    [LoggerMessage(EventId = 103, EventName = "Ready", Level = LogLevel.Information,
        Message = "bellows running, pid {Pid}; SIGINT/SIGTERM to stop")]
    public static partial void Ready(ILogger logger, int pid);
}
