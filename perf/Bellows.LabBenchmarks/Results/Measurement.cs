// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Results;

/// <summary>One run of one load test over one path.</summary>
/// <param name="Path">The path's name.</param>
/// <param name="Metric">The load test.</param>
/// <param name="Run">1-based run number.</param>
/// <param name="Value">Gbit/s for bulk, requests (= connections) per second for wrk.</param>
/// <param name="Operations">Requests completed (wrk) or bytes received (iperf3).</param>
/// <param name="Elapsed">Wall time of the load tool, start to exit.</param>
/// <param name="ProxyCpu">CPU time (utime + stime) the proxy process used meanwhile; null without a proxy.</param>
/// <param name="ProxySessions">Client connections the proxy accepted meanwhile; null without a proxy.</param>
/// <param name="Errors">wrk socket errors plus non-2xx answers.</param>
/// <param name="OriginConnections">TLS suite: connections nginx accepted meanwhile (stub_status), every path.</param>
/// <param name="ClientCpu">TLS suite: CPU time the load generator (wrk) used, when it could be read.</param>
/// <param name="OriginResumed">TLS suite, origin offering resumption: requests whose TLS connection to the origin
/// was resumed (nginx <c>$ssl_session_reused</c>), out of <see cref="Operations"/>.</param>
public sealed record Measurement(string Path, Metric Metric, int Run, double Value, long Operations, TimeSpan Elapsed,
    TimeSpan? ProxyCpu, long? ProxySessions, long Errors, long? OriginConnections = null, TimeSpan? ClientCpu = null,
    long? OriginResumed = null)
{
    /// <summary>Microseconds of load-generator CPU per request.</summary>
    public double? ClientCpuMicrosPerOperation => ClientCpu is { } cpu && Operations > 0 ? cpu.TotalMicroseconds / Operations : null;

    /// <summary>Microseconds of proxy CPU per request (per connection under <see cref="Metric.NewConnections"/>).</summary>
    public double? CpuMicrosPerOperation => ProxyCpu is { } cpu && Operations > 0 ? cpu.TotalMicroseconds / Operations : null;

    /// <summary>Cores the proxy kept busy on average.</summary>
    public double? CpuCores => ProxyCpu is { } cpu ? cpu / Elapsed : null;
}
