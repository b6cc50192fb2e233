// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Tls;

/// <summary>TLS counters in `bellows status`.</summary>
public sealed record TlsStatistics(
    long Inspected,
    long Bypassed,
    long NotTls,
    long HelloErrors,
    long HandshakeErrors,
    long Blocked,
    long Warned,
    long Overridden,
    long CertificatesMinted,
    long CertificateCacheHits,
    long CertificateMintsCoalesced,
    int CertificatesCached,
    long CustomCertificatesServed,
    long RevocationCacheHits,
    int RevocationCached,
    long TrustAnchorHits,
    long ChainRebuilds,
    int TrustAnchors,
    long VerdictCacheHits,
    int VerdictsCached);
