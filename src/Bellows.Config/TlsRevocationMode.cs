// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Revocation checking of upstream certificates (JSON <c>tls.profile.revocation</c>).</summary>
public enum TlsRevocationMode
{
    /// <summary>JSON <c>"off"</c>: not checked.</summary>
    Off,

    /// <summary>JSON <c>"soft-fail"</c>: OCSP stapling, OCSP or CRL; a revoked certificate fails, an unknown status passes.</summary>
    SoftFail,

    /// <summary>JSON <c>"hard-fail"</c>: as soft-fail, but an unknown status (responder unreachable) fails too.</summary>
    HardFail,
}
