// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Tools;

/// <summary>What one wrk run reported.</summary>
/// <param name="ClientCpu">CPU time wrk itself used (all threads), when it could be read.</param>
public sealed record WrkResult(double RequestsPerSecond, long Requests, long SocketErrors, long BadResponses, TimeSpan Elapsed, TimeSpan? ClientCpu = null);
