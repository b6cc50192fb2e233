// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Validation;

/// <summary>What is wrong with an upstream certificate; several can apply at once.</summary>
[Flags]
public enum CertificateProblems
{
    None = 0,

    /// <summary>The chain does not end at a trusted root (unknown or missing issuer, untrusted self-signed root).</summary>
    UnknownIssuer = 1 << 0,

    /// <summary>The leaf itself is self-signed and not trusted.</summary>
    SelfSigned = 1 << 1,

    /// <summary>A certificate in the chain is past its notAfter.</summary>
    Expired = 1 << 2,

    /// <summary>A certificate in the chain is before its notBefore.</summary>
    NotYetValid = 1 << 3,

    /// <summary>The SNI (or, without SNI, the target address) is not among the leaf's SANs.</summary>
    NameMismatch = 1 << 4,

    /// <summary>A certificate in the chain is revoked.</summary>
    Revoked = 1 << 5,

    /// <summary>Revocation was checked but no answer could be had (no CRL/OCSP URL, or the responder was unreachable).</summary>
    RevocationUnknown = 1 << 6,

    /// <summary>Anything else: bad signature, wrong key usage, invalid extensions, no certificate at all.</summary>
    Other = 1 << 7,
}
