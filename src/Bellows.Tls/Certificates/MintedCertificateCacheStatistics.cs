// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Certificates;

/// <summary>A snapshot of <see cref="MintedCertificateCache"/> accounting.</summary>
/// <param name="Count">Certificates held now.</param>
/// <param name="Capacity">Most certificates held before the least recently used is evicted.</param>
/// <param name="Hits">Requests served from the cache.</param>
/// <param name="Misses">Requests that found nothing and started a mint.</param>
/// <param name="Coalesced">Requests that found a mint in progress for their key and waited for it.</param>
/// <param name="Mints">Successful mints.</param>
/// <param name="MintFailures">Mints that threw (not cached: the next request tries again).</param>
/// <param name="Evictions">Entries dropped because the cache was full.</param>
/// <param name="Renewals">Entries dropped because they were about to expire.</param>
/// <param name="MintTimeTotal">Time spent minting, all mints together.</param>
/// <param name="MintTimeMax">The longest single mint.</param>
public readonly record struct MintedCertificateCacheStatistics(
    int Count,
    int Capacity,
    long Hits,
    long Misses,
    long Coalesced,
    long Mints,
    long MintFailures,
    long Evictions,
    long Renewals,
    TimeSpan MintTimeTotal,
    TimeSpan MintTimeMax);
