// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using Bellows.Lab.Network;
using Bellows.LabBenchmarks.Paths;
using Bellows.LabBenchmarks.Results;
using Bellows.LabBenchmarks.Tools;

namespace Bellows.LabBenchmarks;

/// <summary>The load tests: put a path in place, prove traffic takes it, measure, take it away.</summary>
public sealed partial class BenchmarkRunner
{
    private const string RoutedClientPorts = "40000 65000";
    private const string ProxiedClientPorts = "10000 39999";
    /// <summary>
    /// Seconds of each warm-up load (new connections, then keep-alive). Two left Bellows' connection-rate run inside
    /// .NET's tier-1 recompilation, which takes about 20 % of its CPU for the first ~8 s under load (CPU per
    /// connection 249 us in seconds 2-10 against 217 us in seconds 10-18 of one run); five cover it, as the TLS suite's
    /// eight do. HAProxy gets the same warm-up.
    /// </summary>
    private const int WarmUpSeconds = 5;

    /// <summary>A short pause between load tests: lets the iperf3 server reset and closing sockets go.</summary>
    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(500);

    private async Task MeasurePathAsync(ITrafficPath path, int run, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        _log($"run {run}/{_options.Runs}: {path.Name}");
        await UseClientPortsAsync(path).ConfigureAwait(false);
        await path.StartAsync().ConfigureAwait(false);
        try
        {
            await CheckPathAsync(path).ConfigureAwait(false);
            await WarmUpAsync(cancellationToken).ConfigureAwait(false);
            foreach (var metric in metrics)
            {
                await Task.Delay(s_pause, cancellationToken).ConfigureAwait(false);
                var measurement = await MeasureAsync(path, metric, run, cancellationToken).ConfigureAwait(false);
                _measurements.Add(measurement);
                _log(Describe(measurement));
            }
        }
        finally
        {
            await path.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the routed path client ports of its own. A proxy closing first leaves TIME_WAIT sockets in the gateway
    /// keyed by the client's address and port (for 60 s); with the diversion gone, a forwarded packet that matches
    /// one is early-demuxed to it, and ip_forward() drops packets that carry a local socket. A routed run right
    /// after a proxied one then loses the SYNs of every client port the proxy used (run 2 measured 4 conn/s).
    /// </summary>
    private async Task UseClientPortsAsync(ITrafficPath path)
    {
        string range = path is RoutedPath ? RoutedClientPorts : ProxiedClientPorts;
        var result = await Lab.Topology.Client.RunAsync("sysctl", "-qw", "net.ipv4.ip_local_port_range=" + range).ConfigureAwait(false);
        result.EnsureSuccess();
    }

    /// <summary>One fetch of the test file, which a proxy in the path must count.</summary>
    private async Task CheckPathAsync(ITrafficPath path)
    {
        var before = await path.ReadCountersAsync().ConfigureAwait(false);
        var fetch = await Lab.CurlAsync("-o", "/dev/null", "-w", "%{size_download}", Url).ConfigureAwait(false);
        if (!fetch.Succeeded || fetch.StandardOutput.Trim() != NginxServer.FileLength.ToString(CultureInfo.InvariantCulture))
        {
            throw new BenchmarkException($"{path.Name}: fetching {Url} failed: {fetch.StandardError.Trim()} {fetch.StandardOutput.Trim()}");
        }

        var after = await path.ReadCountersAsync().ConfigureAwait(false);
        if (before is not null && after is not null && after.Accepted <= before.Accepted)
        {
            throw new BenchmarkException($"{path.Name}: a fetch of {Url} did not go through the proxy");
        }
    }

    /// <summary>
    /// Unmeasured load before the measured runs. Each path starts a fresh proxy, and a fresh Bellows spends its first
    /// seconds JIT-compiling: sampled per thread, the tiered-compilation thread took 17 % of Bellows' CPU in a
    /// connection-rate run that began right after start. HAProxy gets the same warm-up.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        int seconds = Math.Min(WarmUpSeconds, _options.Seconds);
        var client = Lab.Topology.Client;
        await Wrk.RunAsync(client, Url, _options.WrkThreads, _options.WrkConnections, seconds, closeEachRequest: true, cancellationToken).ConfigureAwait(false);
        await Wrk.RunAsync(client, Url, _options.WrkThreads, _options.WrkConnections, seconds, closeEachRequest: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Measurement> MeasureAsync(ITrafficPath path, Metric metric, int run, CancellationToken cancellationToken)
    {
        var client = Lab.Topology.Client;
        var before = await path.ReadCountersAsync().ConfigureAwait(false);
        int? pid = path.ProxyPid;
        var cpuBefore = pid is int p0 ? ProcFs.CpuTime(p0) : TimeSpan.Zero;

        double value;
        long operations;
        long errors = 0;
        long minimumSessions;
        TimeSpan elapsed;
        switch (metric)
        {
            case Metric.BulkOneStream or Metric.BulkFourStreams:
                int streams = metric == Metric.BulkOneStream ? 1 : 4;
                var bulk = await Iperf.RunClientAsync(client, LabTopology.ServerV4, streams, _options.Seconds, cancellationToken).ConfigureAwait(false);
                (value, operations, elapsed) = (bulk.BitsPerSecond / 1e9, bulk.Bytes, bulk.Elapsed);

                // The control connection and one per stream.
                minimumSessions = streams + 1;
                break;
            default:
                bool close = metric == Metric.NewConnections;
                var wrk = await Wrk.RunAsync(client, Url, _options.WrkThreads, _options.WrkConnections, _options.Seconds, close, cancellationToken).ConfigureAwait(false);
                (value, operations, elapsed, errors) = (wrk.RequestsPerSecond, wrk.Requests, wrk.Elapsed, wrk.SocketErrors + wrk.BadResponses);

                // Every completed request under Connection: close had a connection of its own.
                minimumSessions = close ? wrk.Requests : _options.WrkConnections;
                break;
        }

        TimeSpan? cpu = pid is int p1 ? ProcFs.CpuTime(p1) - cpuBefore : null;
        var after = await path.ReadCountersAsync().ConfigureAwait(false);
        long? sessions = after is not null && before is not null ? after.Accepted - before.Accepted : null;
        if (sessions < minimumSessions)
        {
            throw new BenchmarkException(
                $"{path.Name}, {metric}: the proxy accepted {sessions} connections, at least {minimumSessions} were made: traffic bypassed it");
        }

        return new Measurement(path.Name, metric, run, value, operations, elapsed, cpu, sessions, errors);
    }

    private static string Describe(Measurement m)
    {
        var inv = CultureInfo.InvariantCulture;
        string value = m.Metric is Metric.BulkOneStream or Metric.BulkFourStreams
            ? string.Create(inv, $"{m.Value:0.00} Gbit/s")
            : string.Create(inv, $"{m.Value:0} req/s ({m.Errors} errors)");
        string cpu = m.CpuCores is double cores ? string.Create(inv, $", proxy CPU {cores:0.00} cores, {m.CpuMicrosPerOperation:0.0} us/op, {m.ProxySessions} sessions") : "";
        return $"  {m.Metric}: {value}{cpu}";
    }
}
