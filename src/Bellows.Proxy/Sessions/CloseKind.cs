// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Sessions;

/// <summary>How a session ended.</summary>
public enum CloseKind : byte
{
    None,

    /// <summary>Orderly end: a FIN (the first one seen is recorded).</summary>
    Fin,

    /// <summary>An RST, or a send that found the peer gone.</summary>
    Reset,

    /// <summary>The upstream refused the connection.</summary>
    Refused,

    /// <summary>No route, host or network unreachable.</summary>
    Unreachable,

    ConnectTimeout,
    IdleTimeout,

    /// <summary>Bellows is stopping and the drain deadline passed.</summary>
    Shutdown,

    /// <summary>No original destination could be found, or it points back at Bellows.</summary>
    NoDestination,

    /// <summary>A UDP flow ended to make room for a new one (flow table or descriptor budget full).</summary>
    Evicted,

    /// <summary>A malformed, truncated, oversized or late ClientHello.</summary>
    TlsHello,

    /// <summary>A TLS handshake failed (the side says which leg).</summary>
    TlsHandshake,

    /// <summary>The upstream certificate failed a check the TLS profile does not allow (or a warning page was served).</summary>
    TlsBlocked,

    /// <summary>Non-TLS bytes on a TLS listener whose profile drops them.</summary>
    NotTls,

    /// <summary>A TLS record that did not decrypt, or a TLS stream cut mid-record.</summary>
    TlsError,

    /// <summary>Any other socket error; the SocketError is kept next to it.</summary>
    Error,
}
