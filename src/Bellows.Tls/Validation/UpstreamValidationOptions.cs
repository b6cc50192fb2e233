// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Validation;

/// <summary>Settings for <see cref="UpstreamCertificateValidator"/>.</summary>
public sealed record UpstreamValidationOptions
{
    /// <summary>
    /// A PEM bundle of trusted roots (Smithproxy's <c>ca_bundle_file</c>). Null: the system store
    /// (OpenSSL's default paths on Linux, e.g. /etc/ssl/certs).
    /// </summary>
    public string? TrustBundlePath { get; init; }

    /// <summary>
    /// A PEM bundle of roots trusted in addition to <see cref="TrustBundlePath"/> or, without one, to the system
    /// store (which is then read once, at start): an internal CA beside the public ones.
    /// </summary>
    public string? ExtraTrustPath { get; init; }

    /// <summary>
    /// With the system store, how long a root that a chain was validated to is offered alone to later builds before
    /// a full build has to confirm it again (<see cref="TrustAnchorCache"/>): a root removed from the system store
    /// is still trusted at most this long.
    /// </summary>
    public TimeSpan TrustAnchorLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A trust store of at most this many certificates is used whole: narrowing it saves nothing.</summary>
    internal int SmallTrustStore { get; init; } = 4;

    public RevocationCheckMode Revocation { get; init; } = RevocationCheckMode.Off;

    /// <summary>Bound on each OCSP/CRL fetch when revocation is checked.</summary>
    public TimeSpan RevocationTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a server's revocation outcome is reused for the same chain (<see cref="RevocationCache"/>); zero
    /// checks every connection. A certificate revoked meanwhile is seen at most this late.
    /// </summary>
    public TimeSpan RevocationCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a server's clean verdict is reused for exactly the same presented certificates
    /// (<see cref="VerdictCache"/>), so that its chain is not built again; zero builds it for every connection. Never
    /// past the earliest expiry in the chain, and with revocation on only while the revocation outcome is cached. A
    /// root removed from the trust store is still trusted this long for servers that chained to it.
    /// </summary>
    public TimeSpan VerdictCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Servers whose revocation outcome is kept at most.</summary>
    public int RevocationCacheSize { get; init; } = 10_000;

    /// <summary>
    /// Fetch missing intermediates from the AIA URL. Off by default: no HTTP requests on the handshake path, and
    /// Smithproxy (OpenSSL) does not do it either, so a server that omits its intermediate is UnknownIssuer.
    /// </summary>
    public bool DownloadMissingIntermediates { get; init; }
}
