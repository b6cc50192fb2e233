// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Tools;

/// <summary>What one wrk run reported.</summary>
public sealed record WrkResult(double RequestsPerSecond, long Requests, long SocketErrors, long BadResponses, TimeSpan Elapsed);
