// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Globalization;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;
using Bellows.Lab.Tls;
using Bellows.LabBenchmarks.Paths;
using Bellows.LabBenchmarks.Results;
using Bellows.LabBenchmarks.Tls;
using Bellows.LabBenchmarks.Tools;
using Bellows.Tls.Certificates;

namespace Bellows.LabBenchmarks;

/// <summary>
/// The TLS suite (`--only tls`, bench/tls.sh): HTTPS from the client to nginx in the server namespace, routed,
/// through Squid ssl-bump and through Bellows inspecting TLS.
/// </summary>
/// <remarks>
/// 1. Certificates (origin CA and leaf, one CA per proxy); nginx with HTTPS; the client resolves
///    <see cref="TlsMaterial.OriginName"/> through /etc/netns/PREFIX-cli/hosts.
/// 2. Does wrk resume TLS sessions? wrk against a port that offers resumption, counted in nginx's log.
/// 3. For each run, each path: put it in place; prove it (the certificate's issuer is the path's CA and a fetch
///    verifies against it; a proxy counts the fetch); in run 1, whether the client leg resumes sessions; warm up;
///    wrk with Connection: close; five 100 MiB downloads (after one unmeasured).
/// 4. Bellows' certificate minting, in this process.
/// </remarks>
public sealed partial class BenchmarkRunner
{
    private const int HttpsPort = 443;
    private const int MintingCount = 1000;

    /// <summary>
    /// Seconds of wrk before each path's first measurement. Two seconds (the plain suite's) left Bellows measured
    /// while .NET was still recompiling its hot paths at tier 1 (a quarter to a third fewer connections/s in the first
    /// measurement than a minute later); every path gets the same.
    /// </summary>
    private const int TlsWarmUpSeconds = 8;

    /// <summary>100 MiB downloads per bulk measurement (their total bytes over their total time).</summary>
    private const int BulkDownloadsPerRun = 5;

    /// <summary>
    /// One 100 MiB download through <paramref name="path"/>, verified against <paramref name="ca"/>; its duration.
    /// Also run once, unmeasured, after each path's warm-up: the wrk warm-up moves 1 KiB responses and leaves the
    /// bulk relay path (large SslStream reads and writes) to .NET's first tiers, and a fresh Bellows' first two
    /// downloads ran at 1.0-1.3 Gbit/s and 7-9 ms of CPU per MiB against 1.6-2.4 Gbit/s and 4-5 ms after them
    /// (16 downloads per process, 3 processes). Every path gets the same download.
    /// </summary>
    private async Task<TimeSpan> DownloadBulkAsync(ITrafficPath path, string ca)
    {
        string url = HttpsUrl(NginxServer.BulkFilePath);
        var fetch = await Lab.CurlAsync("--cacert", ca, "-o", "/dev/null", "-w", "%{size_download} %{time_total}", url).ConfigureAwait(false);
        var fields = fetch.StandardOutput.Trim().Split(' ');
        if (!fetch.Succeeded || fields.Length != 2 || fields[0] != NginxServer.BulkFileLength.ToString(CultureInfo.InvariantCulture))
        {
            throw new BenchmarkException($"{path.Name}: downloading {url} failed: {fetch.StandardError.Trim()} {fetch.StandardOutput.Trim()}");
        }

        return TimeSpan.FromSeconds(double.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    private static string HttpsUrl(string file, int port = HttpsPort) =>
        port == HttpsPort ? $"https://{TlsMaterial.OriginName}{file}" : $"https://{TlsMaterial.OriginName}:{port}{file}";

    /// <summary>The LD_PRELOAD library that keeps wrk from resuming sessions (<see cref="WrkNoResume"/>).</summary>
    private string? _wrkNoResume;

    private string ClientHostsPath => Path.Combine("/etc/netns", Lab.Topology.Client.Name, "hosts");

    private async Task<BenchmarkReport> ExecuteTlsAsync(DateTimeOffset started, Stopwatch watch, BenchmarkEnvironment environment, CancellationToken cancellationToken)
    {
        string squidVersion = await SquidVersionAsync().ConfigureAwait(false);
        var openssl = await CommandRunner.RunAsync("openssl", ["version"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);

        // :: Step 1
        _log("TLS suite: certificates, nginx with HTTPS ...");
        var material = TlsMaterial.Create(Path.Combine(Lab.WorkDirectory, "tls"), LabTopology.ServerV4);
        await WriteClientHostsAsync().ConfigureAwait(false);
        var tls = new NginxTls(HttpsPort, TlsMaterial.OriginName, material.OriginCertificatePath, material.OriginKeyPath);
        _servers.Add(await NginxServer.StartAsync(Lab.Topology.Server, Lab.WorkDirectory, LabTopology.ServerV4, HttpPort, tls).ConfigureAwait(false));
        if (_options.TlsPaths.Contains("bellows-revocation"))
        {
            _servers.Add(await LabOcspResponder.StartAsync(Lab.Topology.Server, material.OcspIndexPath, material.OriginIssuerPath, material.OriginIssuerKeyPath,
                TlsMaterial.OcspPort, material.OriginCertificatePath, material.OcspUrl).ConfigureAwait(false));
        }

        var routed = new RoutedPath(Lab);
        var squids = _options.SquidWorkers.Select(w => new SquidPath(Lab, material, squidVersion, w)).ToList();
        var bellows = new BellowsTlsPath(Lab, material);
        var bellowsRevocation = new BellowsTlsPath(Lab, material, revocation: "soft-fail");
        var paths = new List<(ITrafficPath Path, string Ca, string Issuer)>();
        foreach (string name in _options.TlsPaths)
        {
            switch (name)
            {
                case "routed":
                    paths.Add((routed, material.OriginCaPath, TlsMaterial.OriginIssuerName));
                    break;
                case "squid":
                    paths.AddRange(squids.Select(s => ((ITrafficPath)s, material.SquidCaPath, TlsMaterial.SquidCaName)));
                    break;
                case "bellows-revocation":
                    paths.Add((bellowsRevocation, material.BellowsCaPath, TlsMaterial.BellowsCaName));
                    break;
                default:
                    paths.Add((bellows, material.BellowsCaPath, TlsMaterial.BellowsCaName));
                    break;
            }
        }

        // :: Step 2
        await routed.StartAsync().ConfigureAwait(false);
        await UseClientPortsAsync(routed).ConfigureAwait(false);
        var (resumed, probed) = await ProbeWrkResumptionAsync(null, cancellationToken).ConfigureAwait(false);
        _log($"wrk resumption probe: {resumed} of {probed} requests resumed a session (origin offering resumption)");
        _wrkNoResume = await WrkNoResume.BuildAsync(Path.Combine(Lab.WorkDirectory, "tls")).ConfigureAwait(false);
        var (shimResumed, shimProbed) = await ProbeWrkResumptionAsync(_wrkNoResume, cancellationToken).ConfigureAwait(false);
        _log($"wrk with {Path.GetFileName(_wrkNoResume)}: {shimResumed} of {shimProbed} requests resumed a session");
        if (shimResumed > 0 || shimProbed == 0)
        {
            throw new BenchmarkException($"wrk with {_wrkNoResume} still resumed {shimResumed} of {shimProbed} sessions");
        }

        // :: Step 3
        var clientLeg = new Dictionary<string, string>();
        var helpers = new SortedSet<string>(StringComparer.Ordinal);
        for (int run = 1; run <= _options.Runs; run++)
        {
            foreach (var (path, ca, issuer) in paths)
            {
                _log($"run {run}/{_options.Runs}: {path.Name}");
                await UseClientPortsAsync(path).ConfigureAwait(false);
                await path.StartAsync().ConfigureAwait(false);
                try
                {
                    await CheckTlsPathAsync(path, ca, issuer).ConfigureAwait(false);
                    await HoldForDebuggingAsync(path, cancellationToken).ConfigureAwait(false);
                    if (run == 1)
                    {
                        clientLeg[path.Name] = await ProbeClientResumptionAsync(ca).ConfigureAwait(false);
                        _log($"  client leg: {clientLeg[path.Name]}");
                    }

                    await Wrk.RunAsync(Lab.Topology.Client, HttpsUrl(NginxServer.FilePath), _options.WrkThreads, _options.WrkConnections,
                        Math.Min(TlsWarmUpSeconds, _options.Seconds), closeEachRequest: true, _wrkNoResume, _options.TlsWrkNice, cancellationToken).ConfigureAwait(false);
                    await DownloadBulkAsync(path, ca).ConfigureAwait(false);
                    foreach (var metric in new[] { Metric.TlsNewConnections, Metric.TlsResumingConnections, Metric.TlsNewConnectionsNormalPriority, Metric.TlsNewConnectionsOriginResumes, Metric.TlsBulk })
                    {
                        await Task.Delay(s_pause, cancellationToken).ConfigureAwait(false);
                        var measurement = await MeasureTlsAsync(path, ca, metric, run, cancellationToken).ConfigureAwait(false);
                        _measurements.Add(measurement);
                        _log(DescribeTls(measurement));
                    }

                    if (path is SquidPath squid)
                    {
                        helpers.UnionWith(squid.Helpers());
                    }
                }
                finally
                {
                    await path.StopAsync().ConfigureAwait(false);
                }
            }
        }

        // :: Step 4
        _log($"minting {MintingCount} certificates ...");
        var minting = MintingBenchmark.Run(MintingCount);
        var mintingWithContext = MintingBenchmark.Run(MintingCount, includeCertificateContext: true);
        _log($"  {minting}; {mintingWithContext}");

        var names = paths.Select(p => p.Path.Name).ToList();
        var result = new TlsSuiteResult(
            names,
            names.Contains(routed.Name) ? routed.Name : null,
            [.. squids.Select(s => s.Name).Where(names.Contains)],
            names.Contains(bellows.Name) ? bellows.Name : null,
            squidVersion,
            [.. squids.Where(s => names.Contains(s.Name)).Select(s => s.Workers)],
            [.. helpers],
            resumed,
            probed,
            shimResumed,
            shimProbed,
            clientLeg,
            minting,
            mintingWithContext,
            openssl.StandardOutput.Trim());
        return new BenchmarkReport(started, watch.Elapsed, _options, environment, 0, names, _measurements, _idleSamples) { Tls = result };
    }

    /// <summary>
    /// BELLOWS_BENCH_HOLD=SECONDS (at most 3600) keeps each path in place that long before it is measured, so that
    /// it can be looked at by hand (strace, /proc, wrk in the client namespace). Not for measuring.
    /// </summary>
    private async Task HoldForDebuggingAsync(ITrafficPath path, CancellationToken cancellationToken)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("BELLOWS_BENCH_HOLD"), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
        {
            _log($"  holding {path.Name} for {Math.Min(seconds, 3600)} s (BELLOWS_BENCH_HOLD), proxy pid {path.ProxyPid}");
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, 3600)), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> SquidVersionAsync()
    {
        var version = await CommandRunner.RunAsync("/bin/sh", ["-c", "squid -v | head -1"], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!version.Succeeded || !version.StandardOutput.Contains("Version", StringComparison.Ordinal))
        {
            throw new BenchmarkException("squid is not installed (bench/tls.sh installs squid-openssl)");
        }

        // "Squid Cache: Version 5.7"
        return version.StandardOutput.Trim().Split(' ')[^1];
    }

    /// <summary>The client resolves the origin's name to the server through its own hosts file (ip netns exec binds it).</summary>
    private async Task WriteClientHostsAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ClientHostsPath)!);
        await File.WriteAllTextAsync(ClientHostsPath, $"127.0.0.1 localhost\n::1 localhost\n{LabTopology.ServerV4} {TlsMaterial.OriginName}\n").ConfigureAwait(false);
    }

    private void RemoveClientHosts()
    {
        if (_lab is null || !File.Exists(ClientHostsPath))
        {
            return;
        }

        File.Delete(ClientHostsPath);
        string directory = Path.GetDirectoryName(ClientHostsPath)!;
        if (!Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.Delete(directory);
        }
    }

    /// <summary>
    /// wrk with Connection: close against the origin's second HTTPS port, which offers resumption (session cache and
    /// tickets) and logs <c>$ssl_session_reused</c>: tells whether wrk's new connections are full handshakes.
    /// </summary>
    private async Task<(long Resumed, long Requests)> ProbeWrkResumptionAsync(string? preload, CancellationToken cancellationToken)
    {
        int skip = (await ResumptionLogAsync(cancellationToken).ConfigureAwait(false)).Count;
        await Wrk.RunAsync(Lab.Topology.Client, HttpsUrl(NginxServer.FilePath, NginxTls.ResumptionProbePort), 1, 4, 1, closeEachRequest: true, preload, 0, cancellationToken).ConfigureAwait(false);
        var lines = (await ResumptionLogAsync(cancellationToken).ConfigureAwait(false)).Skip(skip).ToList();
        return (lines.Count(l => l.Trim() == "r"), lines.Count(l => l.Trim().Length > 0));
    }

    /// <summary>The lines of nginx's log of <c>$ssl_session_reused</c> on the port that offers resumption ("r" or ".").</summary>
    private async Task<IReadOnlyList<string>> ResumptionLogAsync(CancellationToken cancellationToken)
    {
        // nginx buffers nothing here (no buffer= on access_log): every line is written when its request ends.
        string log = NginxServer.ResumptionLogPath(Lab.WorkDirectory);
        return File.Exists(log) ? await File.ReadAllLinesAsync(log, cancellationToken).ConfigureAwait(false) : [];
    }

    /// <summary>
    /// Two <c>openssl s_client</c> connections through the path in place, the second offering the first one's
    /// session (TLS 1.3 ticket or 1.2 session): does the side that terminates the client's TLS resume it?
    /// </summary>
    private async Task<string> ProbeClientResumptionAsync(string ca)
    {
        string session = Path.Combine(Lab.WorkDirectory, "tls", "client-session.pem");
        File.Delete(session);
        string connect = $"openssl s_client -connect {TlsMaterial.OriginName}:{HttpsPort} -servername {TlsMaterial.OriginName} -CAfile {ca} -ign_eof";
        string request = $@"printf 'GET {NginxServer.FilePath} HTTP/1.1\r\nHost: {TlsMaterial.OriginName}\r\nConnection: close\r\n\r\n'";
        string script = $"{request} | timeout 10 {connect} -sess_out {session} >/dev/null 2>&1; " +
            $"[ -s {session} ] || {{ echo 'no session'; exit 0; }}; " +
            $"{request} | timeout 10 {connect} -sess_in {session} >{session}.out 2>&1; grep -a -E '^(New|Reused),' {session}.out | head -1 | grep -a . || tail -3 {session}.out";
        var result = await Lab.Topology.Client.ShellAsync(script, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        string line = result.StandardOutput.Trim();
        return line.StartsWith("Reused", StringComparison.Ordinal) ? "resumes (" + line.Split(',')[1].Trim() + ")"
            : line.StartsWith("New", StringComparison.Ordinal) ? "full handshake every time (" + line.Split(',')[1].Trim() + ")"
            : line == "no session" ? "full handshake every time (no session or ticket issued)"
            : "unknown: " + line.ReplaceLineEndings(" ");
    }

    /// <summary>
    /// Proves the path: the certificate the client gets is issued by the path's CA (the origin CA when routed, the
    /// proxy's own when intercepted), a fetch verifying against that CA succeeds, and a proxy counts it.
    /// </summary>
    private async Task CheckTlsPathAsync(ITrafficPath path, string ca, string issuer)
    {
        var show = await Lab.Topology.Client.ShellAsync(
            $"openssl s_client -connect {TlsMaterial.OriginName}:{HttpsPort} -servername {TlsMaterial.OriginName} </dev/null 2>/dev/null | openssl x509 -noout -issuer",
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (!show.StandardOutput.Contains("CN = " + issuer, StringComparison.Ordinal) && !show.StandardOutput.Contains("CN=" + issuer, StringComparison.Ordinal))
        {
            throw new BenchmarkException($"{path.Name}: the client got a certificate issued by '{show.StandardOutput.Trim()}', not by '{issuer}' {show.StandardError.Trim()}");
        }

        var before = await path.ReadCountersAsync().ConfigureAwait(false);
        string url = HttpsUrl(NginxServer.FilePath);
        var fetch = await Lab.CurlAsync("--cacert", ca, "-o", "/dev/null", "-w", "%{size_download}", url).ConfigureAwait(false);
        if (!fetch.Succeeded || fetch.StandardOutput.Trim() != NginxServer.FileLength.ToString(CultureInfo.InvariantCulture))
        {
            throw new BenchmarkException($"{path.Name}: fetching {url} (trusting {Path.GetFileName(Path.GetDirectoryName(ca))}/{Path.GetFileName(ca)}) failed: {fetch.StandardError.Trim()} {fetch.StandardOutput.Trim()}");
        }

        var after = await path.ReadCountersAsync().ConfigureAwait(false);
        if (before is not null && after is not null && after.Accepted <= before.Accepted)
        {
            throw new BenchmarkException($"{path.Name}: a fetch of {url} did not go through the proxy");
        }

        _log($"  {path.Name}: certificate issued by '{issuer}', verified fetch OK");
    }

    private async Task<Measurement> MeasureTlsAsync(ITrafficPath path, string ca, Metric metric, int run, CancellationToken cancellationToken)
    {
        var client = Lab.Topology.Client;
        var before = await path.ReadCountersAsync().ConfigureAwait(false);
        long originBefore = await NginxServer.AcceptedConnectionsAsync(Lab.Topology.Server).ConfigureAwait(false);
        int? pid = path.ProxyPid;
        var cpuBefore = pid is int p0 ? ProcFs.CpuTimeOfTree(p0) : TimeSpan.Zero;

        double value;
        long operations;
        long errors = 0;
        long minimumSessions;
        TimeSpan elapsed;
        TimeSpan? clientCpu = null;
        long? originResumed = null;
        if (metric is Metric.TlsNewConnections or Metric.TlsResumingConnections or Metric.TlsNewConnectionsNormalPriority or Metric.TlsNewConnectionsOriginResumes)
        {
            string? preload = metric == Metric.TlsResumingConnections ? null : _wrkNoResume;
            int nice = metric == Metric.TlsNewConnectionsNormalPriority ? 0 : _options.TlsWrkNice;
            bool originResumes = metric == Metric.TlsNewConnectionsOriginResumes;
            var log = originResumes ? await ResumptionLogAsync(cancellationToken).ConfigureAwait(false) : null;
            var wrk = await Wrk.RunAsync(client, HttpsUrl(NginxServer.FilePath, originResumes ? NginxTls.ResumptionProbePort : HttpsPort),
                _options.WrkThreads, _options.WrkConnections, _options.Seconds, closeEachRequest: true, preload, nice, cancellationToken).ConfigureAwait(false);
            (value, operations, elapsed, errors) = (wrk.RequestsPerSecond, wrk.Requests, wrk.Elapsed, wrk.SocketErrors + wrk.BadResponses);
            minimumSessions = wrk.Requests;
            clientCpu = wrk.ClientCpu;
            if (log is not null)
            {
                var lines = (await ResumptionLogAsync(cancellationToken).ConfigureAwait(false)).Skip(log.Count).ToList();
                originResumed = lines.Count(l => l.Trim() == "r");
            }
        }
        else
        {
            // Several downloads back to back, a connection each: one 100 MiB transfer lasts 0.3-1.4 s, and single
            // transfers put the Bellows / Squid median anywhere between 1.8x and 3.2x from one suite to the next.
            elapsed = TimeSpan.Zero;
            for (int i = 0; i < BulkDownloadsPerRun; i++)
            {
                elapsed += await DownloadBulkAsync(path, ca).ConfigureAwait(false);
            }

            operations = (long)NginxServer.BulkFileLength * BulkDownloadsPerRun;
            value = operations * 8 / elapsed.TotalSeconds / 1e9;
            minimumSessions = BulkDownloadsPerRun;
        }

        TimeSpan? cpu = pid is int p1 ? ProcFs.CpuTimeOfTree(p1) - cpuBefore : null;
        long originAfter = await NginxServer.AcceptedConnectionsAsync(Lab.Topology.Server).ConfigureAwait(false);
        var after = await path.ReadCountersAsync().ConfigureAwait(false);
        long? sessions = after is not null && before is not null ? after.Accepted - before.Accepted : null;
        if (sessions < minimumSessions)
        {
            throw new BenchmarkException(
                $"{path.Name}, {metric}: the proxy counted {sessions} connections, at least {minimumSessions} were made: traffic bypassed it");
        }

        // The status probe itself is one of nginx's connections.
        return new Measurement(path.Name, metric, run, value, operations, elapsed, cpu, sessions, errors, originAfter - originBefore - 1, clientCpu, originResumed);
    }

    private static string DescribeTls(Measurement m)
    {
        var inv = CultureInfo.InvariantCulture;
        string value = m.Metric == Metric.TlsBulk
            ? string.Create(inv, $"{m.Value:0.00} Gbit/s in {m.Elapsed.TotalSeconds:0.00} s")
            : string.Create(inv, $"{m.Value:0} conn/s ({m.Errors} errors), origin accepted {m.OriginConnections} connections for {m.Operations} requests");
        string cpu = m.CpuCores is double cores ? string.Create(inv, $", proxy CPU {cores:0.00} cores, {m.CpuMicrosPerOperation:0.0} us/op, {m.ProxySessions} counted") : "";
        string client = m.ClientCpuMicrosPerOperation is double c ? string.Create(inv, $", wrk CPU {c:0.0} us/op") : "";
        client += m.OriginResumed is long r ? string.Create(inv, $", {r} of {m.Operations} origin handshakes resumed") : "";
        return $"  {m.Metric}: {value}{cpu}{client}";
    }
}
