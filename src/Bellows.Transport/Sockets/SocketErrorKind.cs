// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Transport.Sockets;

/// <summary>How a socket error should be read when deciding why a session ended.</summary>
public enum SocketErrorKind
{
    /// <summary>The peer reset the connection (RST received, or a send hit a closed peer).</summary>
    Reset,

    /// <summary>Our own side aborted the operation (socket closed locally, shutdown in progress).</summary>
    Aborted,

    /// <summary>The peer could not be reached (refused, unreachable, timed out).</summary>
    Unreachable,

    /// <summary>Anything else: logged with its code.</summary>
    Unexpected,
}

public static class SocketErrorClassifier
{
    public static SocketErrorKind Classify(SocketError error) => error switch
    {
        SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted
            or SocketError.NotConnected => SocketErrorKind.Reset,
        SocketError.OperationAborted or SocketError.Interrupted => SocketErrorKind.Aborted,
        SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.HostDown or SocketError.NetworkDown or SocketError.TimedOut => SocketErrorKind.Unreachable,
        _ => SocketErrorKind.Unexpected,
    };

    /// <summary>
    /// Accept errors that mean "out of resources": back off and retry rather than stop listening.
    /// .NET reports EMFILE/ENFILE as TooManyOpenSockets and ENOBUFS/ENOMEM as NoBufferSpaceAvailable.
    /// </summary>
    public static bool IsResourcePressure(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;
}
