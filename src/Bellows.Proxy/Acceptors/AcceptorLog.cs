// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Acceptors;

/// <summary>Acceptor events. Event ids 1100-1199.</summary>
internal static partial class AcceptorLog
{
    [LoggerMessage(EventId = 1100, EventName = "AcceptPressure", Level = LogLevel.Warning,
        Message = "listener {Listener}: accept failed under resource pressure ({Error}); backing off {DelayMs} ms")]
    public static partial void AcceptPressure(ILogger logger, string listener, SocketError error, int delayMs);

    [LoggerMessage(EventId = 1101, EventName = "AcceptError", Level = LogLevel.Debug,
        Message = "listener {Listener}: transient accept error {Error}")]
    public static partial void AcceptError(ILogger logger, string listener, SocketError error);

    [LoggerMessage(EventId = 1102, EventName = "SessionRejected", Level = LogLevel.Debug,
        Message = "listener {Listener}: connection from {Client} reset: {Why}")]
    public static partial void SessionRejected(ILogger logger, string listener, string client, string why);
}
