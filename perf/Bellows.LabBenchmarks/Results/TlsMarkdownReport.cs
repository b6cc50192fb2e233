// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text;

namespace Bellows.LabBenchmarks.Results;

/// <summary>Renders the TLS suite's report: new intercepted connections, bulk download, targets, the questions
/// that decide how to read them (resumption, connection reuse upstream), minting, every raw run.</summary>
public sealed class TlsMarkdownReport
{
    /// <summary>Issue 4: Bellows must be at least twice as good as Squid in both rows.</summary>
    private const double TargetRatio = 2;

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private readonly BenchmarkReport _report;
    private readonly TlsSuiteResult _tls;
    private readonly StringBuilder _md = new();

    private TlsMarkdownReport(BenchmarkReport report, TlsSuiteResult tls)
    {
        _report = report;
        _tls = tls;
    }

    public static string Render(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var renderer = new TlsMarkdownReport(report, report.Tls ?? throw new ArgumentException("not a TLS report", nameof(report)));
        renderer.RenderAll();
        return renderer._md.ToString();
    }

    private void RenderAll()
    {
        var r = _report;
        Line($"# Bellows TLS benchmark, {r.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", s_inv)} UTC");
        Line();
        Line($"HTTPS from the client namespace to nginx in the server namespace: routed, through Squid ssl-bump, through Bellows " +
            $"inspecting TLS. Medians of {r.Options.Runs} run(s); wrk runs last {r.Options.Seconds} s. Load generator, proxy and " +
            $"server share one {r.Environment.Cores}-core machine. How to read this: `docs/benchmarks.md` (TLS section).");
        Line();
        RenderConnections();
        RenderBulk();
        RenderTargets();
        RenderHandshakes();
        RenderMinting();
        RenderSetup();
        RenderRaw();
    }

    private void RenderConnections()
    {
        var o = _report.Options;
        Line($"## New intercepted HTTPS connections per second (wrk -t{o.WrkThreads} -c{o.WrkConnections}, `Connection: close`, 1 KiB file, no resumption)");
        Line();
        Line("wrk is kept from resuming sessions (an LD_PRELOAD wrapper of `SSL_clear`), so every connection is a full " +
            "handshake on the client leg, and (the origin offers no resumption) on the upstream leg. " +
            (o.TlsWrkNice > 0
                ? $"wrk runs at nice {o.TlsWrkNice}: while a handshake waits for the other end it busy-polls (it keeps asking for " +
                  "writability and retries `SSL_connect`), so at normal priority it takes CPU from the path it measures in proportion " +
                  "to that path's handshake latency (the last table of this section shows it)."
                : "wrk runs at normal priority (`--wrk-nice 0`)."));
        Line();
        RenderConnectionTable(Metric.TlsNewConnections);
        Line($"### The same with wrk resuming sessions where the other end allows it");
        Line();
        Line("wrk as it is offers its last session on every new connection; whoever terminates the client's TLS decides " +
            "whether it is resumed (see \"Handshakes\" below).");
        Line();
        RenderConnectionTable(Metric.TlsResumingConnections);
        Line("### The same without resumption, wrk at normal priority (not niced)");
        Line();
        Line("The first table again with wrk competing for the cores as an ordinary process: compare wrk's CPU per connection " +
            "with the first table (a connection costs wrk the same handshake either way; the difference is polling).");
        Line();
        RenderConnectionTable(Metric.TlsNewConnectionsNormalPriority);
        Line("### The same without resumption on the client leg, against an origin that offers resumption (port 8443)");
        Line();
        Line("wrk still makes a full handshake on every connection, but the origin port offers a session cache and tickets, " +
            "as nginx and most servers do by default: a proxy that keeps its upstream sessions skips the origin's certificate " +
            "chain (parsing and validation) and signature on every later upstream handshake.");
        Line();
        RenderConnectionTable(Metric.TlsNewConnectionsOriginResumes);
        foreach (string path in _tls.Paths)
        {
            long resumed = Samples(path, Metric.TlsNewConnectionsOriginResumes).Sum(m => m.OriginResumed ?? 0);
            long requests = Samples(path, Metric.TlsNewConnectionsOriginResumes).Sum(m => m.Operations);
            if (requests > 0)
            {
                Line($"- {path}: the origin resumed {resumed:N0} of {requests:N0} TLS connections ({F(100.0 * resumed / requests, 1)} %).");
            }
        }

        Line();
    }

    private void RenderConnectionTable(Metric metric)
    {
        Line("| path | conn/s | vs routed | proxy CPU per connection (µs) | proxy CPU (cores) | wrk CPU per connection (µs) | origin connections per client connection | wrk errors |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string path in _tls.Paths)
        {
            Line($"| {path} | {F(Median(path, metric), 0)} | {VsRouted(path, metric)} | " +
                $"{F(MedianCpuPerOperation(path, metric), 0)} | {F(MedianCores(path, metric), 2)} | {F(MedianClientCpuPerOperation(path, metric), 0)} | " +
                $"{F(OriginPerClient(path, metric), 2)} | {Errors(path, metric)} |");
        }

        foreach (string s in _tls.Squids)
        {
            if (_tls.Bellows is { } b)
            {
                double cpu = MedianCpuPerOperation(b, metric) / MedianCpuPerOperation(s, metric);
                Line($"| **Bellows / {s}** | **{X(Ratio(b, s, metric))}** | | {X(cpu)} (Squid / Bellows: **{X(1 / cpu)}**) | | | | |");
            }
        }

        Line();
    }

    private void RenderBulk()
    {
        Line("## Bulk intercepted HTTPS: five 100 MiB downloads back to back, a connection each (curl, verifying against the path's CA): their bytes over their time, after one unmeasured download per path and run");
        Line();
        Line("| path | Gbit/s | vs routed | seconds | proxy CPU (cores) | proxy CPU per MiB (ms) |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (string path in _tls.Paths)
        {
            double perMib = Statistics.Median(Samples(path, Metric.TlsBulk).Where(m => m.ProxyCpu is not null).Select(m => m.ProxyCpu!.Value.TotalMilliseconds / (m.Operations / 1048576.0)));
            Line($"| {path} | {F(Median(path, Metric.TlsBulk), 2)} | {VsRouted(path, Metric.TlsBulk)} | " +
                $"{F(Statistics.Median(Samples(path, Metric.TlsBulk).Select(m => m.Elapsed.TotalSeconds)), 2)} | {F(MedianCores(path, Metric.TlsBulk), 2)} | {F(perMib, 2)} |");
        }

        foreach (string s in _tls.Squids)
        {
            if (_tls.Bellows is { } b)
            {
                Line($"| **Bellows / {s}** | **{X(Ratio(b, s, Metric.TlsBulk))}** | | | | |");
            }
        }

        Line();
    }

    private void RenderTargets()
    {
        if (_tls.Bellows is not { } b || _tls.Squids.Count == 0)
        {
            return;
        }

        Line("## Issue targets");
        Line();
        Line("| target | measured | met |");
        Line("|---|---:|:---:|");
        foreach (string s in _tls.Squids)
        {
            double connections = Ratio(b, s, Metric.TlsNewConnections);
            double bulk = Ratio(b, s, Metric.TlsBulk);
            Line($"| new intercepted connections/s ≥ {X(TargetRatio)} {s} | {TargetX(connections)} | {(connections >= TargetRatio ? "yes" : "**no**")} |");
            Line($"| bulk intercepted HTTPS ≥ {X(TargetRatio)} {s} | {TargetX(bulk)} | {(bulk >= TargetRatio ? "yes" : "**no**")} |");
            double resuming = Ratio(b, s, Metric.TlsResumingConnections);
            Line($"| (not a target) connections/s with wrk resuming, vs {s} | {TargetX(resuming)} | |");
            double normal = Ratio(b, s, Metric.TlsNewConnectionsNormalPriority);
            Line($"| (not a target) new connections/s with wrk at normal priority, vs {s} | {TargetX(normal)} | |");
            double originResumes = Ratio(b, s, Metric.TlsNewConnectionsOriginResumes);
            Line($"| (not a target) new connections/s, origin offering resumption, vs {s} | {TargetX(originResumes)} | |");
        }

        Line();
    }

    private void RenderHandshakes()
    {
        Line("## Handshakes: what each connection costs");
        Line();
        Line($"- **wrk and resumption.** Against an origin port that offers resumption (session cache and tickets), " +
            $"{_tls.WrkResumed:N0} of {_tls.WrkProbeRequests:N0} wrk requests (`Connection: close`) resumed a session" +
            (_tls.WrkResumed == 0 ? ": wrk makes a full handshake on every new connection." : ": wrk **does** resume; the client-leg rows below say whether each path lets it.") +
            $" With the no-resume wrapper: {_tls.NoResumeResumed:N0} of {_tls.NoResumeProbeRequests:N0}.");
        Line("- **Client leg** (who terminates the client's TLS resumes a second `openssl s_client` connection?):");
        foreach (var (path, verdict) in _tls.ClientLegResumes)
        {
            Line($"  - {path}: {verdict}");
        }

        Line("- **Upstream leg.** The measured origin port (443) has `ssl_session_cache off` and `ssl_session_tickets off`: every " +
            "TLS connection to it is a full handshake. \"Origin connections per client connection\" (nginx `stub_status` accepts " +
            "over wrk's requests) shows whether a proxy reuses upstream connections: 1.00 means one upstream TLS connection " +
            "(and handshake) per client connection; below 1, the proxy keeps upstream connections alive and reuses them for " +
            "later client connections.");
        Line();
    }

    private void RenderMinting()
    {
        if (_tls.Minting is not { } m || _tls.MintingWithContext is not { } c)
        {
            return;
        }

        Line("## Bellows certificate minting (one thread, `MintingBenchmark`, ECDSA P-256 CA)");
        Line();
        Line("| what | certificates | p50 (ms) | p99 (ms) | certs/s | CPU per certificate, all threads (ms) | keys made in the mint (pool empty) |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        Line($"| certificate | {m.Count:N0} | {F(m.P50Milliseconds, 3)} | {F(m.P99Milliseconds, 3)} | {F(m.CertificatesPerSecond, 0)} | {F(m.CpuMillisecondsPerCertificate, 3)} | {m.KeysGeneratedInline:N0} |");
        Line($"| certificate + SslStreamCertificateContext | {c.Count:N0} | {F(c.P50Milliseconds, 3)} | {F(c.P99Milliseconds, 3)} | {F(c.CertificatesPerSecond, 0)} | {F(c.CpuMillisecondsPerCertificate, 3)} | {c.KeysGeneratedInline:N0} |");
        Line();
        Line("Minting takes its key from Bellows' pool of keys made ahead of need (`MintingKeyPool`, refilled on another " +
            "thread), as the proxy does: the p50 is the wait of a first connection to a new site; the CPU column counts the " +
            "key generation too.");
        Line();
        Line("The benchmark's connections all go to one server name, so each proxy mints once per start and then serves " +
            "its cached certificate: minting is not in the connection rate above.");
        Line();
    }

    private void RenderSetup()
    {
        var e = _report.Environment;
        Line("## Setup");
        Line();
        Line($"- Bellows revision `{e.Revision}`, Release build, {e.Runtime}: one TPROXY listener with `\"tls\": \"always\"`, 2 acceptors " +
            "(reuseport), 2 workers, nat auto, session log off, `tls.profile.revocation: off`, upstream trust the system's roots plus the origin CA (`extra_trust`).");
        string workers = string.Join(" and ", _tls.SquidWorkers.Select(w => w == 1 ? "`workers 1` (`squid -N`: one process, no SMP kids)" : $"`workers {w}` (`squid --foreground`: a master and {w} kids)"));
        Line($"- Squid {_tls.SquidVersion} (squid-openssl), {workers}" +
            ": `https_port 3130 tproxy ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=16MB`, `ssl_bump peek step1`, " +
            "`ssl_bump bump all`, `sslcrtd_program security_file_certgen -M 16MB`, `tls_outgoing_options cafile=<origin CA>` (with `default-ca` on by default: the system's roots as well), " +
            "`cache deny all`, `access_log none`, `spoof_client_ip deny all` (upstream from the gateway's address, like Bellows' nat auto). " +
            "Squid's CPU is that of its whole process tree" + (_tls.SquidHelpers.Count > 0
                ? " (children seen: " + string.Join(", ", _tls.SquidHelpers.Distinct()) + "; `security_file_c` is security_file_certgen, `squid` children are SMP kids)."
                : "; no child processes were seen."));
        if (_tls.Paths.Any(p => p.Contains("revocation", StringComparison.Ordinal)))
        {
            Line("- Bellows (revocation soft-fail): the same Bellows with `tls.profile.revocation: soft-fail`, its default profile. The " +
                "origin's leaf names an OCSP responder (`openssl ocsp` in the server namespace); .NET asks it once and then answers " +
                "from its on-disk OCSP cache (~/.dotnet/corefx/cryptography/ocsp), reading and verifying the cached response on every " +
                "chain build. Squid 5.7 checks no revocation.");
        }

        Line("- Both proxies' CAs and the origin's certificate are ECDSA P-256 (Squid gives its minted certificates its CA's key).");
        Line($"- Origin: {e.NginxVersion.Replace("nginx version: ", "", StringComparison.Ordinal)}, 2 workers, TLS 1.2-1.3, ALPN http/1.1, " +
            "no session cache or tickets on the measured port, keep-alive unlimited. Client: " +
            $"{string.Join(' ', e.WrkVersion.Split(' ').Take(2))} and curl; {_tls.OpenSslVersion}. Kernel {e.Kernel}, {e.Cores} × {e.Cpu}. " +
            $"The whole suite took {_report.Duration.TotalMinutes:0.0} min.");
        Line();
    }

    private void RenderRaw()
    {
        Line("## All runs");
        Line();
        Line("| path | test | run | value | proxy counted | origin connections | proxy CPU (s) | wrk CPU (s) | wall (s) | errors |");
        Line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in _report.Measurements.OrderBy(m => m.Metric).ThenBy(m => _tls.Paths.ToList().IndexOf(m.Path)).ThenBy(m => m.Run))
        {
            string unit = m.Metric == Metric.TlsBulk ? F(m.Value, 2) + " Gbit/s" : F(m.Value, 0) + " /s";
            Line($"| {m.Path} | {m.Metric} | {m.Run} | {unit} | {(m.ProxySessions is long s ? s.ToString("N0", s_inv) : "–")} | " +
                $"{(m.OriginConnections is long o ? o.ToString("N0", s_inv) : "–")} | {(m.ProxyCpu is TimeSpan c ? F(c.TotalSeconds, 2) : "–")} | " +
                $"{(m.ClientCpu is TimeSpan w ? F(w.TotalSeconds, 2) : "–")} | {F(m.Elapsed.TotalSeconds, 1)} | {m.Errors} |");
        }
    }

    private double OriginPerClient(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.OriginConnections is not null && m.Operations > 0)
            .Select(m => (double)m.OriginConnections!.Value / m.Operations));

    private double Median(string path, Metric metric) => Statistics.Median(Samples(path, metric).Select(m => m.Value));

    private double MedianCores(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.CpuCores is not null).Select(m => m.CpuCores!.Value));

    private double MedianCpuPerOperation(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.CpuMicrosPerOperation is not null).Select(m => m.CpuMicrosPerOperation!.Value));

    private double MedianClientCpuPerOperation(string path, Metric metric) =>
        Statistics.Median(Samples(path, metric).Where(m => m.ClientCpuMicrosPerOperation is not null).Select(m => m.ClientCpuMicrosPerOperation!.Value));

    private double Ratio(string path, string baseline, Metric metric) => Median(path, metric) / Median(baseline, metric);

    private string VsRouted(string path, Metric metric) => _tls.Routed is { } routed ? X(Ratio(path, routed, metric)) : "–";

    private string Errors(string path, Metric metric) => Samples(path, metric).Sum(m => m.Errors).ToString("N0", s_inv);

    private IEnumerable<Measurement> Samples(string path, Metric metric) =>
        _report.Measurements.Where(m => m.Path == path && m.Metric == metric);

    private static string F(double value, int decimals) =>
        double.IsNaN(value) || double.IsInfinity(value) ? "–" : value.ToString("N" + decimals.ToString(s_inv), s_inv);

    private static string X(double ratio) => double.IsNaN(ratio) || double.IsInfinity(ratio) ? "–" : ratio.ToString("0.00", s_inv) + "×";

    private static string TargetX(double ratio) =>
        double.IsNaN(ratio) || double.IsInfinity(ratio) ? "–" : (Math.Floor(ratio * 1000) / 1000).ToString("0.000", s_inv) + "×";

    private void Line(string text = "") => _md.Append(text).Append('\n');
}
