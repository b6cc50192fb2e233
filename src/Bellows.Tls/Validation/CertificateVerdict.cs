// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Validation;

/// <summary>The outcome of validating an upstream certificate.</summary>
/// <param name="Problems">Everything found wrong.</param>
/// <param name="IsTrusted">
/// No problem except those the revocation mode tolerates (<see cref="CertificateProblems.RevocationUnknown"/> under
/// <see cref="RevocationCheckMode.SoftFail"/>). Policy (allow_invalid_certs, allow_self_signed, ...) is applied by
/// the caller on <see cref="Problems"/>.
/// </param>
/// <param name="ChainStatus">The raw chain status flags, for logs.</param>
public readonly record struct CertificateVerdict(CertificateProblems Problems, bool IsTrusted, X509ChainStatusFlags ChainStatus)
{
    public override string ToString() => Problems == CertificateProblems.None ? "ok" : Problems.ToString();
}
