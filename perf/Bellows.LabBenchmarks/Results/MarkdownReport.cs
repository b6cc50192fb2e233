// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text;

namespace Bellows.LabBenchmarks.Results;

/// <summary>Renders a <see cref="BenchmarkReport"/> as markdown: one table per metric (medians), the issue's
/// targets, then every raw run.</summary>
public sealed class MarkdownReport
{
    /// <summary>The issue states the memory target at 10,000 idle connections; 9,000 is what fits the fd limit.</summary>
    private const int TargetIdleConnections = 10000;
    private const double TargetIdleMiB = 60;
    private const double TargetBulkRatio = 1.1;

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private readonly BenchmarkReport _report;
    private readonly StringBuilder _md = new();
    private readonly List<(string Target, string Measured, bool Met)> _targets = [];

    private MarkdownReport(BenchmarkReport report) => _report = report;

    public static string Render(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var renderer = new MarkdownReport(report);
        renderer.RenderAll();
        return renderer._md.ToString();
    }

    private void RenderAll()
    {
        var r = _report;
        Line($"# Bellows lab benchmark, {r.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", s_inv)} UTC");
        Line();
        Line($"Medians of {r.Options.Runs} run(s); every iperf3 and wrk run lasts {r.Options.Seconds} s. Client, gateway (proxy) " +
            $"and server are network namespaces on one {r.Environment.Cores}-core machine, so load generator, proxy and " +
            "server share the same CPUs. How to read this: `docs/benchmarks.md`." +
            (r.Options.Tests == BenchmarkTests.All ? "" : $" Only some tests ran: {r.Options.Tests}."));
        Line();
        if (Has(Metric.BulkOneStream))
        {
            RenderBulk();
        }

        if (Has(Metric.NewConnections))
        {
            RenderConnections();
        }

        if (Has(Metric.KeepAlive))
        {
            RenderKeepAlive();
        }

        if (_report.IdleSamples.Count > 0)
        {
            RenderIdle();
        }

        RenderTargets();
        RenderSetup();
        RenderRaw();
    }

    private void RenderBulk()
    {
        Line("## Bulk throughput (iperf3, Gbit/s)");
        Line();
        Line("| path | 1 stream | vs routed | 4 streams | vs routed | proxy CPU, 4 streams (cores) |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (string path in new[] { _report.Routed, _report.Haproxy, _report.BellowsReusePort })
        {
            Line($"| {path} | {F(Median(path, Metric.BulkOneStream), 2)} | {VsRouted(path, Metric.BulkOneStream)} | " +
                $"{F(Median(path, Metric.BulkFourStreams), 2)} | {VsRouted(path, Metric.BulkFourStreams)} | {F(MedianCores(path, Metric.BulkFourStreams), 2)} |");
        }

        double one = Ratio(_report.BellowsReusePort, _report.Haproxy, Metric.BulkOneStream);
        double four = Ratio(_report.BellowsReusePort, _report.Haproxy, Metric.BulkFourStreams);
        Line($"| **Bellows / HAProxy** | **{X(one)}** | | **{X(four)}** | | |");
        Line();
        _targets.Add(($"bulk, 1 stream ≥ {X(TargetBulkRatio)} HAProxy", TargetX(one), one >= TargetBulkRatio));
        _targets.Add(($"bulk, 4 streams ≥ {X(TargetBulkRatio)} HAProxy", TargetX(four), four >= TargetBulkRatio));
    }

    private void RenderConnections()
    {
        var opts = _report.Options;
        Line($"## New connections per second (wrk -t{opts.WrkThreads} -c{opts.WrkConnections}, `Connection: close`, 1 KiB file)");
        Line();
        Line("| path | conn/s | vs routed | proxy CPU per connection (µs) | proxy CPU (cores) | wrk errors |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (string path in _report.Paths)
        {
            Line($"| {path} | {F(Median(path, Metric.NewConnections), 0)} | {VsRouted(path, Metric.NewConnections)} | " +
                $"{F(MedianCpuPerOperation(path, Metric.NewConnections), 1)} | {F(MedianCores(path, Metric.NewConnections), 2)} | {Errors(path, Metric.NewConnections)} |");
        }

        double reuse = Ratio(_report.BellowsReusePort, _report.Haproxy, Metric.NewConnections);
        double shared = Ratio(_report.BellowsShared, _report.Haproxy, Metric.NewConnections);
        double cpu = MedianCpuPerOperation(_report.BellowsReusePort, Metric.NewConnections) / MedianCpuPerOperation(_report.Haproxy, Metric.NewConnections);
        Line($"| **Bellows (reuseport) / HAProxy** | **{X(reuse)}** | | {X(cpu)} | | |");
        Line($"| **Bellows (shared) / HAProxy** | **{X(shared)}** | | | | |");
        Line($"| Bellows reuseport / shared | {X(Ratio(_report.BellowsReusePort, _report.BellowsShared, Metric.NewConnections))} | | | | |");
        Line();
        _targets.Add(("new connections/s ≥ HAProxy", TargetX(reuse), reuse >= 1));
    }

    private void RenderKeepAlive()
    {
        var opts = _report.Options;
        Line($"## Keep-alive requests per second (wrk -t{opts.WrkThreads} -c{opts.WrkConnections}, 1 KiB file)");
        Line();
        Line("| path | req/s | vs routed | proxy CPU per request (µs) | proxy CPU (cores) | wrk errors |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (string path in new[] { _report.Routed, _report.Haproxy, _report.BellowsReusePort })
        {
            Line($"| {path} | {F(Median(path, Metric.KeepAlive), 0)} | {VsRouted(path, Metric.KeepAlive)} | " +
                $"{F(MedianCpuPerOperation(path, Metric.KeepAlive), 1)} | {F(MedianCores(path, Metric.KeepAlive), 2)} | {Errors(path, Metric.KeepAlive)} |");
        }

        double ratio = Ratio(_report.BellowsReusePort, _report.Haproxy, Metric.KeepAlive);
        Line($"| **Bellows / HAProxy** | **{X(ratio)}** | | | | |");
        Line();
        _targets.Add(("keep-alive req/s ≥ HAProxy", TargetX(ratio), ratio >= 1));
    }

    private void RenderIdle()
    {
        int count = _report.Options.IdleConnections;
        Line($"## Memory with {count:N0} idle proxied connections (RSS of the whole proxy process)");
        Line();
        Line($"| proxy | RSS before (MiB) | RSS with {count:N0} idle (MiB) | per connection (KiB) | extrapolated to {TargetIdleConnections:N0} (MiB) | descriptors | proxy's live sessions |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        foreach (string path in new[] { _report.Haproxy, _report.BellowsReusePort })
        {
            var samples = _report.IdleSamples.Where(s => s.Proxy == path).ToList();
            Line($"| {path} | {F(Statistics.Median(samples.Select(s => s.ResidentBefore / 1048576.0)), 1)} | " +
                $"{F(Statistics.Median(samples.Select(s => s.ResidentIdle / 1048576.0)), 1)} | {F(Statistics.Median(samples.Select(s => s.KibPerConnection)), 2)} | " +
                $"{F(Extrapolated(path), 1)} | {F(Statistics.Median(samples.Select(s => (double)s.Descriptors)), 0)} | {F(Statistics.Median(samples.Select(s => (double)s.ProxyLive)), 0)} |");
        }

        double bellows = Extrapolated(_report.BellowsReusePort);
        double perConnection = IdleMedian(_report.BellowsReusePort) / IdleMedian(_report.Haproxy);
        Line($"| **Bellows / HAProxy** | | | **{X(perConnection)}** | {X(bellows / Extrapolated(_report.Haproxy))} | | |");
        Line();
        Line($"Why not {TargetIdleConnections:N0}: the open-files hard limit is {_report.Environment.OpenFilesHardLimit:N0} and each proxied " +
            $"connection costs the proxy 2 descriptors, so 9,000 is about the most that fits. The {TargetIdleConnections:N0} column is RSS before + {TargetIdleConnections:N0} × " +
            "the measured per-connection cost (a linear extrapolation, not a measurement). Every connection echoed one byte " +
            "through the proxy before it counted, then stayed idle; after the idle wait a sample of them echoed again:");
        foreach (var s in _report.IdleSamples)
        {
            string detail = s.Detail is { } d ? $"; the proxy reports, before: {s.DetailBefore}; idle: {d}" : "";
            Line($"run {s.Run} {s.Proxy}: {s.Connections:N0} open, {s.Failed} failed, {s.StillAlive}/{s.Probed} probed still echo{detail}.  ");
        }

        Line();
        _targets.Add(($"RSS with {TargetIdleConnections:N0} idle connections ≤ {TargetIdleMiB:0} MiB (extrapolated from {count:N0})",
            F(bellows, 1) + " MiB", bellows <= TargetIdleMiB));
    }

    private void RenderTargets()
    {
        Line("## Issue targets (Bellows reuseport)");
        Line();
        Line("| target | measured | met |");
        Line("|---|---:|:---:|");
        foreach (var (target, measured, met) in _targets)
        {
            Line($"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        }

        Line();
    }

    private void RenderSetup()
    {
        var r = _report;
        var e = r.Environment;
        Line("## Setup");
        Line();
        Line($"- Bellows revision `{e.Revision}`, Release build, {e.Runtime}; nat auto, 2 acceptors, 2 workers, session log off.");
        Line($"- HAProxy {e.HaproxyVersion}: mode tcp, `bind transparent`, `server 0.0.0.0:0` " +
            $"(original destination), nbthread 2, maxconn {r.HaproxyMaxConnections:N0} (the most HAProxy starts with under the " +
            $"{e.OpenFilesHardLimit:N0} open-files hard limit), no logging.");
        Line($"- Servers in the server namespace: {e.NginxVersion.Replace("nginx version: ", "", StringComparison.Ordinal)} (2 workers, access log off, keep-alive unlimited), " +
            $"{FirstWords(e.IperfVersion)} -s, and the lab's echo server in a separate process. Clients: {FirstWords(e.WrkVersion)}, iperf3 -O 1.");
        Line($"- Kernel {e.Kernel}, {e.Cores} × {e.Cpu}. Whole benchmark took {r.Duration.TotalMinutes:0.0} min.");
        Line();
    }

    private void RenderRaw()
    {
        if (_report.Measurements.Count == 0)
        {
            return;
        }

        Line("## All runs");
        Line();
        Line("| path | test | run | value | proxy sessions | proxy CPU (s) | wall (s) | errors |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in _report.Measurements.OrderBy(m => m.Metric).ThenBy(m => _report.Paths.ToList().IndexOf(m.Path)).ThenBy(m => m.Run))
        {
            string unit = m.Metric is Metric.BulkOneStream or Metric.BulkFourStreams ? F(m.Value, 2) + " Gbit/s" : F(m.Value, 0) + " /s";
            Line($"| {m.Path} | {m.Metric} | {m.Run} | {unit} | {(m.ProxySessions is long s ? s.ToString("N0", s_inv) : "–")} | " +
                $"{(m.ProxyCpu is TimeSpan c ? F(c.TotalSeconds, 2) : "–")} | {F(m.Elapsed.TotalSeconds, 1)} | {m.Errors} |");
        }
    }

    private bool Has(Metric metric) => _report.Measurements.Any(m => m.Metric == metric);

    private double Median(string path, Metric metric) => Statistics.Median(Samples(path, metric).Select(m => m.Value));

    private double MedianCores(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.CpuCores is not null).Select(m => m.CpuCores!.Value));

    private double MedianCpuPerOperation(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.CpuMicrosPerOperation is not null).Select(m => m.CpuMicrosPerOperation!.Value));

    private double Ratio(string path, string baseline, Metric metric) => Median(path, metric) / Median(baseline, metric);

    private string VsRouted(string path, Metric metric) => X(Ratio(path, _report.Routed, metric));

    private string Errors(string path, Metric metric) => Samples(path, metric).Sum(m => m.Errors).ToString("N0", s_inv);

    private IEnumerable<Measurement> Samples(string path, Metric metric) =>
        _report.Measurements.Where(m => m.Path == path && m.Metric == metric);

    private double IdleMedian(string path) => Statistics.Median(_report.IdleSamples.Where(s => s.Proxy == path).Select(s => s.KibPerConnection));

    private double Extrapolated(string path) =>
        Statistics.Median(_report.IdleSamples.Where(s => s.Proxy == path).Select(s => s.ExtrapolatedResident(TargetIdleConnections) / 1048576.0));

    private static string FirstWords(string text) => string.Join(' ', text.Split(' ').Take(2));

    private static string F(double value, int decimals) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString("N" + decimals.ToString(s_inv), s_inv);

    private static string X(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "–" : ratio.ToString("0.00", s_inv) + "×";

    /// <summary>A ratio for the targets table: 3 decimals, rounded down, so 1.0997 shows as 1.099× next to "not met".</summary>
    private static string TargetX(double ratio) =>
        double.IsNaN(ratio) || double.IsInfinity(ratio) ? "–" : (Math.Floor(ratio * 1000) / 1000).ToString("0.000", s_inv) + "×";

    private void Line(string text = "") => _md.Append(text).Append('\n');
}
