// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Sessions;

/// <summary>Why a session ended: the side at fault, the kind of event and the socket error, if any.</summary>
public readonly record struct CloseReason(CloseSide Side, CloseKind Kind, SocketError Error = SocketError.Success)
{
    public static CloseReason None => default;

    public bool IsNone => Kind == CloseKind.None;

    /// <summary>Maps a socket error seen on one side to a close reason.</summary>
    public static CloseReason FromSocketError(CloseSide side, SocketError error) =>
        SocketErrorClassifier.Classify(error) switch
        {
            SocketErrorKind.Reset => new CloseReason(side, CloseKind.Reset, error),
            SocketErrorKind.Unreachable when error == SocketError.ConnectionRefused => new CloseReason(side, CloseKind.Refused, error),
            SocketErrorKind.Unreachable when error == SocketError.TimedOut => new CloseReason(side, CloseKind.ConnectTimeout, error),
            SocketErrorKind.Unreachable => new CloseReason(side, CloseKind.Unreachable, error),
            _ => new CloseReason(side, CloseKind.Error, error),
        };

    /// <summary>Short stable text for logs and status: "client-fin", "server-rst", "proxy-idle-timeout", ...</summary>
    public override string ToString()
    {
        if (IsNone)
        {
            return "none";
        }

        string side = Side switch
        {
            CloseSide.Client => "client",
            CloseSide.Server => "server",
            CloseSide.Proxy => "proxy",
            _ => "unknown",
        };
        string kind = Kind switch
        {
            CloseKind.Fin => "fin",
            CloseKind.Reset => "rst",
            CloseKind.Refused => "refused",
            CloseKind.Unreachable => "unreachable",
            CloseKind.ConnectTimeout => "connect-timeout",
            CloseKind.IdleTimeout => "idle-timeout",
            CloseKind.Shutdown => "shutdown",
            CloseKind.NoDestination => "no-destination",
            CloseKind.Evicted => "evicted",
            CloseKind.TlsHello => "tls-hello",
            CloseKind.TlsHandshake => "tls-handshake",
            CloseKind.TlsBlocked => "tls-blocked",
            CloseKind.NotTls => "not-tls",
            CloseKind.TlsError => "tls-error",
            _ => "error",
        };
        return Error is SocketError.Success or SocketError.ConnectionReset or SocketError.ConnectionRefused
            ? $"{side}-{kind}"
            : $"{side}-{kind}({Error})";
    }
}
