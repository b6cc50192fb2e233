// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Tls;

/// <summary>What a peek at a client's first bytes showed (TLS detection on a plain listener).</summary>
internal enum FirstBytes
{
    /// <summary>Nothing has arrived yet.</summary>
    NothingYet,

    /// <summary>A TLS handshake record header.</summary>
    TlsRecord,

    /// <summary>Anything else, or end of stream: relay as it is.</summary>
    Other,
}
