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
    /// Fetch missing intermediates from the AIA URL. Off by default: no HTTP requests on the handshake path, and
    /// Smithproxy (OpenSSL) does not do it either, so a server that omits its intermediate is UnknownIssuer.
    /// </summary>
    public bool DownloadMissingIntermediates { get; init; }
}
