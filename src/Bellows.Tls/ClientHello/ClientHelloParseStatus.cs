// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>Outcome of <see cref="ClientHelloParser.TryParse(ReadOnlySpan{byte}, out ClientHelloInfo?)"/>.</summary>
public enum ClientHelloParseStatus
{
    /// <summary>A whole ClientHello was read and is well formed.</summary>
    Complete,

    /// <summary>Everything so far is consistent with a ClientHello; read more bytes and call again.</summary>
    Incomplete,

    /// <summary>
    /// The first bytes are not a TLS handshake record (type 0x16, version major 3): the caller may relay the
    /// connection as plain data.
    /// </summary>
    NotTls,

    /// <summary>TLS framing was recognised but the ClientHello is malformed; see the reason string.</summary>
    Invalid,

    /// <summary>The ClientHello announces a length above the configured bound; it was not buffered.</summary>
    TooLarge,
}
