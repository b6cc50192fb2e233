// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy;

/// <summary>Process-level proxy events. Event ids 1000-1099.</summary>
internal static partial class ProxyLog
{
    [LoggerMessage(EventId = 1000, EventName = "ListenerStarted", Level = LogLevel.Information,
        Message = "listener {Name} ({Mode}) on {EndPoints}: {Acceptors} acceptors ({AcceptorMode}), {Workers} workers")]
    public static partial void ListenerStarted(ILogger logger, string name, string mode, string endPoints, int acceptors, string acceptorMode, int workers);

    [LoggerMessage(EventId = 1001, EventName = "SessionBudget", Level = LogLevel.Information,
        Message = "open-files limit {FdLimit}: at most {MaxSessions} live sessions (2 descriptors each, {Reserve} kept in reserve)")]
    public static partial void SessionBudget(ILogger logger, long fdLimit, long maxSessions, int reserve);

    [LoggerMessage(EventId = 1002, EventName = "Draining", Level = LogLevel.Information,
        Message = "stopping: no longer accepting; draining {Live} sessions for up to {DrainMs} ms")]
    public static partial void Draining(ILogger logger, long live, long drainMs);

    [LoggerMessage(EventId = 1003, EventName = "Stopped", Level = LogLevel.Information,
        Message = "stopped: {Aborted} sessions were still open at the deadline and were reset")]
    public static partial void Stopped(ILogger logger, long aborted);
}
