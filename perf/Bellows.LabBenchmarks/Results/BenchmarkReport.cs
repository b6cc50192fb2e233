// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.LabBenchmarks.Idle;

namespace Bellows.LabBenchmarks.Results;

/// <summary>Everything one benchmark run measured, and under which conditions.</summary>
/// <param name="Paths">Path names in table order: routed, HAProxy, Bellows (reuseport), Bellows (shared).</param>
public sealed record BenchmarkReport(
    DateTimeOffset Started,
    TimeSpan Duration,
    BenchmarkOptions Options,
    BenchmarkEnvironment Environment,
    int HaproxyMaxConnections,
    IReadOnlyList<string> Paths,
    IReadOnlyList<Measurement> Measurements,
    IReadOnlyList<IdleSample> IdleSamples)
{
    public string Routed => Paths[0];

    public string Haproxy => Paths[1];

    public string BellowsReusePort => Paths[2];

    public string BellowsShared => Paths[3];

    /// <summary>The TLS suite's own findings (resumption, minting, Squid's set-up); null unless it ran.</summary>
    public TlsSuiteResult? Tls { get; init; }
}
