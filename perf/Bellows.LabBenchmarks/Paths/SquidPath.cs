// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text.RegularExpressions;
using Bellows.Lab;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;
using Bellows.LabBenchmarks.Tls;
using Bellows.LabBenchmarks.Tools;

namespace Bellows.LabBenchmarks.Paths;

/// <summary>
/// Squid (Debian's squid-openssl) bumping TLS in the gateway: an <c>https_port ... tproxy ssl-bump</c> listener that
/// mints a certificate per server name with its own CA (security_file_certgen helpers, an on-disk database), the
/// lab's TPROXY rule for TCP 443 pointed at it, and <c>spoof_client_ip deny all</c> so that it connects upstream
/// from the gateway's own address like Bellows with nat auto. Run in the foreground (<c>-N</c>).
/// </summary>
public sealed partial class SquidPath : ITrafficPath
{
    public const int ListenerPort = 3130;

    /// <summary>A plain HTTP port on loopback only: the cache manager (counters) is asked there.</summary>
    public const int ManagerPort = 3128;

    private const string SquidUser = "proxy";
    private const string CertificateGenerator = "/usr/lib/squid/security_file_certgen";

    private readonly LabEnvironment _lab;
    private readonly TlsMaterial _tls;
    private readonly string _directory;
    private readonly int _workers;
    private ToolProcess? _process;

    public SquidPath(LabEnvironment lab, TlsMaterial tls, string version, int workers)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(tls);
        _lab = lab;
        _tls = tls;
        _workers = workers;
        _directory = Path.Combine(lab.WorkDirectory, "squid-w" + workers.ToString(CultureInfo.InvariantCulture));
        Name = $"Squid {version} ssl-bump ({workers} worker{(workers == 1 ? "" : "s")})";
    }

    public string Name { get; }

    public int? ProxyPid => _process?.Pid;

    /// <summary>The CA a client must trust to accept Squid's minted certificates.</summary>
    public string CaPath => _tls.SquidCaPath;

    public int Workers => _workers;

    public string ConfigPath => Path.Combine(_directory, "squid.conf");

    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new BenchmarkException("squid already runs");
        }

        // A fresh certificate database every start: Squid mints (and security_file_certgen stores) the origin's
        // certificate once per run, as it would after a restart.
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        Directory.CreateDirectory(_directory);
        string sslDb = Path.Combine(_directory, "ssl_db");
        (await CommandRunner.RunAsync(CertificateGenerator, ["-c", "-s", sslDb, "-M", "16MB"], TimeSpan.FromSeconds(30)).ConfigureAwait(false)).EnsureSuccess();
        // The origin's name, and the client's address too: Squid looks the client up (PTR) on every connection.
        await File.WriteAllTextAsync(Path.Combine(_directory, "hosts"), $"{LabTopology.ServerV4} {TlsMaterial.OriginName}\n{LabTopology.ClientV4} client.bellows.test\n127.0.0.1 localhost\n").ConfigureAwait(false);
        await File.WriteAllTextAsync(ConfigPath, RenderConfig()).ConfigureAwait(false);

        // Squid drops privileges to 'proxy' after reading its config: its directories and its CA must be its own.
        foreach (string path in new[] { _directory, _tls.SquidCaDirectory })
        {
            (await CommandRunner.RunAsync("chown", ["-R", SquidUser + ":" + SquidUser, path]).ConfigureAwait(false)).EnsureSuccess();
        }

        var parse = await CommandRunner.RunAsync("squid", ["-k", "parse", "-f", ConfigPath], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        if (!parse.Succeeded)
        {
            throw new BenchmarkException($"squid rejects its config {ConfigPath}:\n{parse.StandardError}{parse.StandardOutput}");
        }

        // -N: no daemon and (SMP) no kids, the master is the one worker. With more workers, --foreground keeps the
        // master in the foreground and starts the kids.
        string[] command = _workers == 1 ? ["squid", "-N", "-f", ConfigPath] : ["squid", "--foreground", "-f", ConfigPath];
        _process = ToolProcess.Start(_lab.Topology.Gateway, "squid", command);
        await ListenProbe.WaitAsync(_lab.Topology.Gateway, ListenerPort, _process, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await LabNetwork.ApplyDiversionAsync(_lab.Topology, TlsDiversion.For(_lab, ListenerPort)).ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        await LabNetwork.RemoveDiversionAsync(_lab.Topology, _lab.Diversion).ConfigureAwait(false);
        if (_process is { } process)
        {
            _process = null;
            await process.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>HTTP requests Squid received (cache manager <c>counters</c>): under Connection: close, one per connection.</summary>
    public async Task<ProxyCounters?> ReadCountersAsync()
    {
        _process?.EnsureRunning();
        var result = await _lab.Topology.Gateway.RunAsync(
            ["curl", "-sS", "--max-time", "10", $"http://127.0.0.1:{ManagerPort}/squid-internal-mgr/counters"], TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        var requests = RequestsRegex().Match(result.StandardOutput);
        if (!result.Succeeded || !requests.Success)
        {
            throw new BenchmarkException($"cannot read squid's counters: {result.StandardError.Trim()}\n{result.StandardOutput}");
        }

        return new ProxyCounters(long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture), 0);
    }

    /// <summary>The processes Squid started (kids, security_file_certgen helpers): their CPU counts as Squid's.</summary>
    public IReadOnlyList<string> Helpers() => _process is { } p ? ProcFs.ChildNames(p.Pid) : [];

    private string RenderConfig()
    {
        string d = _directory;
        return string.Create(CultureInfo.InvariantCulture, $"""
            # Generated by Bellows.LabBenchmarks: Squid bumping intercepted TLS (TPROXY on 443 -> {ListenerPort}).
            workers {_workers}
            http_port 127.0.0.1:{ManagerPort}
            https_port {ListenerPort} tproxy ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=16MB tls-cert={_tls.SquidCaPath} tls-key={_tls.SquidCaKeyPath}
            sslcrtd_program {CertificateGenerator} -s {d}/ssl_db -M 16MB
            acl step1 at_step SslBump1
            ssl_bump peek step1
            ssl_bump bump all
            tls_outgoing_options cafile={_tls.OriginCaPath}
            http_access allow all
            cache deny all
            # Connect upstream from the gateway's own address (Bellows: nat auto), not the client's.
            spoof_client_ip deny all
            # No per-request log, like Bellows with session_log off.
            access_log none
            cache_log {d}/cache.log
            cache_store_log none
            pid_filename {d}/squid.pid
            coredump_dir {d}
            hosts_file {d}/hosts
            dns_nameservers 127.0.0.1
            visible_hostname bellows-bench-gw
            cache_effective_user {SquidUser}
            shutdown_lifetime 1 seconds
            pinger_enable off
            max_filedescriptors 16384

            """);
    }

    [GeneratedRegex(@"client_http\.requests = (\d+)")]
    private static partial Regex RequestsRegex();
}
