// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Validation;

/// <summary>How the upstream chain's revocation status is checked.</summary>
public enum RevocationCheckMode
{
    /// <summary>No check (X509RevocationMode.NoCheck); Smithproxy's default (<c>ocsp_mode</c> 0, no stapling).</summary>
    Off,

    /// <summary>
    /// Online check (OCSP, then CRL); a revoked certificate fails, but an unreachable responder or a certificate
    /// without revocation URLs does not (<see cref="CertificateProblems.RevocationUnknown"/> is reported, tolerated).
    /// </summary>
    SoftFail,

    /// <summary>Online check; no definite "good" answer fails validation.</summary>
    HardFail,
}
