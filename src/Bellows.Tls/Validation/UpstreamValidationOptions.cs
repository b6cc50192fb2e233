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

    public RevocationCheckMode Revocation { get; init; } = RevocationCheckMode.Off;

    /// <summary>Bound on each OCSP/CRL fetch when revocation is checked.</summary>
    public TimeSpan RevocationTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a server's revocation outcome is reused for the same chain (<see cref="RevocationCache"/>); zero
    /// checks every connection. A certificate revoked meanwhile is seen at most this late.
    /// </summary>
    public TimeSpan RevocationCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Servers whose revocation outcome is kept at most.</summary>
    public int RevocationCacheSize { get; init; } = 10_000;

    /// <summary>
    /// Fetch missing intermediates from the AIA URL. Off by default: no HTTP requests on the handshake path, and
    /// Smithproxy (OpenSSL) does not do it either, so a server that omits its intermediate is UnknownIssuer.
    /// </summary>
    public bool DownloadMissingIntermediates { get; init; }
}
