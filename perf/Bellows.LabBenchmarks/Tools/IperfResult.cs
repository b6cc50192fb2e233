// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Tools;

/// <summary>What one iperf3 run reported (receiver side).</summary>
public sealed record IperfResult(double BitsPerSecond, long Bytes, TimeSpan Elapsed);
