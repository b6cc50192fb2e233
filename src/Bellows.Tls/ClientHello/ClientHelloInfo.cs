// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Immutable;
using System.Net.Security;

namespace Bellows.Tls.ClientHello;

/// <summary>
/// A decoded ClientHello. Immutable: the byte fields are slices of <see cref="HandshakeBytes"/>, a private
/// copy made by the parser, so they stay valid after the caller's receive buffer is reused.
/// </summary>
public sealed partial class ClientHelloInfo
{
    internal ClientHelloInfo()
    {
    }

    /// <summary><c>legacy_version</c>: 0x0303 for TLS 1.2 and 1.3 clients.</summary>
    public ushort LegacyVersion { get; internal init; }

    /// <summary>The <c>supported_versions</c> list as sent (GREASE included); empty when the extension is absent.</summary>
    public ImmutableArray<ushort> SupportedVersions { get; internal init; }

    /// <summary>The 32-byte client random.</summary>
    public ReadOnlyMemory<byte> Random { get; internal init; }

    /// <summary><c>legacy_session_id</c>: 0 to 32 bytes.</summary>
    public ReadOnlyMemory<byte> SessionId { get; internal init; }

    /// <summary>Cipher suites in the order sent, GREASE values included.</summary>
    public ImmutableArray<ushort> CipherSuites { get; internal init; }

    public ReadOnlyMemory<byte> CompressionMethods { get; internal init; }

    /// <summary>Extensions in the order sent, GREASE included, each with its raw data.</summary>
    public ImmutableArray<TlsExtension> Extensions { get; internal init; }

    /// <summary>
    /// The SNI host name: validated (ASCII letters, digits, '-', '_', '.'; labels of 1-63; at most 255),
    /// lower-cased and without a trailing dot. Null when the client sent no host_name.
    /// </summary>
    public string? ServerName { get; internal init; }

    /// <summary>The ALPN protocol list in the client's order; empty when the extension is absent.</summary>
    public ImmutableArray<SslApplicationProtocol> ApplicationProtocols { get; internal init; }

    /// <summary><c>signature_algorithms</c> in the order sent; empty when absent.</summary>
    public ImmutableArray<ushort> SignatureAlgorithms { get; internal init; }

    /// <summary><c>supported_groups</c> in the order sent; empty when absent.</summary>
    public ImmutableArray<ushort> SupportedGroups { get; internal init; }

    /// <summary>The groups of the <c>key_share</c> entries in the order sent; empty when absent.</summary>
    public ImmutableArray<ushort> KeyShareGroups { get; internal init; }

    /// <summary>The handshake message (4-byte header included), reassembled across records.</summary>
    public ReadOnlyMemory<byte> HandshakeBytes { get; internal init; }

    /// <summary>Bytes from the start of the stream to the end of the record that completed the ClientHello.</summary>
    public int RecordsLength { get; internal init; }

    /// <summary>Number of TLS records the ClientHello was split over (more than 1 means fragmented).</summary>
    public int RecordCount { get; internal init; }

    /// <summary>True when <c>supported_versions</c> offers TLS 1.3.</summary>
    public bool IsTls13Capable => SupportedVersions.Contains(TlsVersions.Tls13);

    public bool HasExtension(ushort type)
    {
        foreach (var extension in Extensions)
        {
            if (extension.Type == type)
            {
                return true;
            }
        }

        return false;
    }
}
