// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Tls.Certificates;

namespace Bellows.LabBenchmarks.Results;

/// <summary>What the TLS suite found besides the measurements.</summary>
/// <param name="Paths">Path names in table order (routed, Squid, Bellows; only those that ran).</param>
/// <param name="Routed">The routed path's name (null if it did not run).</param>
/// <param name="Squids">Squid's path names, one per worker count (empty if Squid did not run).</param>
/// <param name="Bellows">Bellows' path name (null if it did not run).</param>
/// <param name="SquidVersion">First line of <c>squid -v</c>.</param>
/// <param name="SquidWorkers">Squid's <c>workers</c>, one per Squid path.</param>
/// <param name="SquidHelpers">Squid's child processes seen during a run (their CPU counts as Squid's).</param>
/// <param name="WrkResumed">Of <see cref="WrkProbeRequests"/> wrk requests to an origin that offers resumption, how many resumed.</param>
/// <param name="WrkProbeRequests">Requests in the wrk resumption probe.</param>
/// <param name="NoResumeResumed">The same probe with wrk kept from resuming (WrkNoResume): must be 0.</param>
/// <param name="NoResumeProbeRequests">Requests in that probe.</param>
/// <param name="ClientLegResumes">Per path: did a second <c>openssl s_client</c> connection resume the first one's session.</param>
/// <param name="Minting">Bellows' certificate minting, one thread (certificate only); null if skipped.</param>
/// <param name="MintingWithContext">The same including the SslStreamCertificateContext build.</param>
/// <param name="OpenSslVersion">The client's <c>openssl version</c>.</param>
public sealed record TlsSuiteResult(
    IReadOnlyList<string> Paths,
    string? Routed,
    IReadOnlyList<string> Squids,
    string? Bellows,
    string SquidVersion,
    IReadOnlyList<int> SquidWorkers,
    IReadOnlyList<string> SquidHelpers,
    long WrkResumed,
    long WrkProbeRequests,
    long NoResumeResumed,
    long NoResumeProbeRequests,
    IReadOnlyDictionary<string, string> ClientLegResumes,
    MintingBenchmarkResult? Minting,
    MintingBenchmarkResult? MintingWithContext,
    string OpenSslVersion);
