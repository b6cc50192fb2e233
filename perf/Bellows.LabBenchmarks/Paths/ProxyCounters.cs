// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Paths;

/// <summary>Client connections the proxy has accepted since it started, and how many are open now.</summary>
/// <param name="Detail">Anything else the proxy reports that explains its memory (Bellows: heap and buffer pool).</param>
public sealed record ProxyCounters(long Accepted, long Live, string? Detail = null);
