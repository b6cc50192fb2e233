// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Bellows.Config;
using Bellows.Lab;
using Bellows.Lab.Network;
using Bellows.LabBenchmarks.Idle;
using Bellows.LabBenchmarks.Paths;
using Bellows.LabBenchmarks.Results;
using Bellows.LabBenchmarks.Tools;

namespace Bellows.LabBenchmarks;

/// <summary>
/// Builds a lab (no built-in servers), starts nginx, iperf3 and an echo server in the server namespace, then
/// measures each path in turn, run after run, so drift on the shared machine spreads over all paths alike.
/// </summary>
/// <remarks>
/// 1. Lab up; servers up.
/// 2. For each run: routed, HAProxy, Bellows (reuseport) through every load test; Bellows (shared) through the
///    connection-rate test only (the acceptor design choice shows there).
/// 3. For each run: the idle-connection memory test on HAProxy and Bellows (reuseport), each freshly started.
/// 4. Servers down; lab down.
/// </remarks>
public sealed partial class BenchmarkRunner : IAsyncDisposable
{
    private const int HttpPort = 80;
    private const int EchoPort = 7007;
    private const string ReservedGatewayPorts = "50000-51999";

    private readonly BenchmarkOptions _options;
    private readonly Action<string> _log;
    private readonly List<Measurement> _measurements = [];
    private readonly List<IdleSample> _idleSamples = [];
    private readonly List<IAsyncDisposable> _servers = [];
    private LabEnvironment? _lab;

    private BenchmarkRunner(BenchmarkOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    private LabEnvironment Lab => _lab ?? throw new InvalidOperationException("no lab");

    private static string Url => $"http://{LabTopology.ServerV4}:{HttpPort}{NginxServer.FilePath}";

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var runner = new BenchmarkRunner(options, log);
        await using (runner.ConfigureAwait(false))
        {
            return await runner.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _servers.Clear();
        RemoveClientHosts();
        if (_lab is { } lab)
        {
            _lab = null;
            await lab.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<BenchmarkReport> ExecuteAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var environment = await BenchmarkEnvironment.ProbeAsync().ConfigureAwait(false);

        // :: Step 1
        _log($"building lab '{_options.Prefix}' ...");
        _lab = await LabEnvironment.CreateAsync(new LabOptions
        {
            Prefix = _options.Prefix,
            StartServers = false,
            StartDns = false,

            // Per-session log lines cost CPU that HAProxy (no log configured) does not pay.
            SessionLog = false,
            DrainSeconds = 1,
        }).ConfigureAwait(false);
        Directory.CreateDirectory(Lab.WorkDirectory);
        await ReserveListenerPortsAsync().ConfigureAwait(false);
        if (_options.Tests == BenchmarkTests.Tls)
        {
            return await ExecuteTlsAsync(started, watch, environment, cancellationToken).ConfigureAwait(false);
        }

        await StartServersAsync().ConfigureAwait(false);

        int maxConnections = HaproxyPath.MaxConnectionsFor(environment.OpenFilesHardLimit);
        var routed = new RoutedPath(Lab);
        var haproxy = new HaproxyPath(Lab, environment.HaproxyVersion, maxConnections);
        var reusePort = new BellowsPath(Lab, AcceptorMode.ReusePort);
        var shared = new BellowsPath(Lab, AcceptorMode.Shared);

        // :: Step 2
        var metrics = SelectedMetrics();
        for (int run = 1; run <= _options.Runs && metrics.Length > 0; run++)
        {
            // HAProxy and Bellows take turns at going first. A run's place in the sequence moves its figure (the
            // first proxied run after the routed one tends to be the best; with Bellows first, run 1 measured
            // Bellows 3,128 and HAProxy 2,480 conn/s), and with a fixed order that edge went to HAProxy every time.
            await MeasurePathAsync(routed, run, metrics, cancellationToken).ConfigureAwait(false);
            foreach (var path in run % 2 == 1 ? new ITrafficPath[] { haproxy, reusePort } : [reusePort, haproxy])
            {
                await MeasurePathAsync(path, run, metrics, cancellationToken).ConfigureAwait(false);
            }

            if (metrics.Contains(Metric.NewConnections))
            {
                await MeasurePathAsync(shared, run, [Metric.NewConnections], cancellationToken).ConfigureAwait(false);
            }
        }

        // :: Step 3
        var idle = new IdleConnectionTest(Lab.Topology.Client, new IPEndPoint(LabTopology.ServerV4, EchoPort), _log);
        for (int run = 1; run <= _options.Runs && _options.Tests.HasFlag(BenchmarkTests.Idle); run++)
        {
            foreach (var path in new ITrafficPath[] { haproxy, reusePort })
            {
                _log($"run {run}/{_options.Runs}: {path.Name}, {_options.IdleConnections} idle connections");
                await UseClientPortsAsync(path).ConfigureAwait(false);
                await path.StartAsync().ConfigureAwait(false);
                try
                {
                    var sample = await idle.RunAsync(path, _options.IdleConnections, run, cancellationToken).ConfigureAwait(false);
                    _idleSamples.Add(sample);
                    _log(string.Create(CultureInfo.InvariantCulture,
                        $"  RSS {sample.ResidentBefore / 1048576.0:0.0} -> {sample.ResidentIdle / 1048576.0:0.0} MiB, {sample.KibPerConnection:0.00} KiB/connection, {sample.StillAlive}/{sample.Probed} still echo"));
                    if (sample.Detail is { } detail)
                    {
                        _log($"  before: {sample.DetailBefore}");
                        _log($"  idle:   {detail}");
                    }
                }
                finally
                {
                    await path.StopAsync().ConfigureAwait(false);
                }
            }
        }

        // :: Step 4 (DisposeAsync)
        return new BenchmarkReport(started, watch.Elapsed, _options, environment, maxConnections,
            [routed.Name, haproxy.Name, reusePort.Name, shared.Name], _measurements, _idleSamples);
    }

    private Metric[] SelectedMetrics()
    {
        var metrics = new List<Metric>();
        if (_options.Tests.HasFlag(BenchmarkTests.Bulk))
        {
            metrics.AddRange([Metric.BulkOneStream, Metric.BulkFourStreams]);
        }

        if (_options.Tests.HasFlag(BenchmarkTests.Connections))
        {
            metrics.Add(Metric.NewConnections);
        }

        if (_options.Tests.HasFlag(BenchmarkTests.KeepAlive))
        {
            metrics.Add(Metric.KeepAlive);
        }

        return [.. metrics];
    }

    /// <summary>
    /// Keeps the proxies' listener ports (50080, 50090, 51080, 51053) out of the gateway's ephemeral range. The lab
    /// sets that range to 10000-65000; 9,000 upstream connections then sometimes take one of them, and while it
    /// lingers in TIME_WAIT the next proxy cannot bind its listener (EADDRINUSE).
    /// </summary>
    private async Task ReserveListenerPortsAsync()
    {
        var result = await Lab.Topology.Gateway.RunAsync("sysctl", "-qw", "net.ipv4.ip_local_reserved_ports=" + ReservedGatewayPorts).ConfigureAwait(false);
        result.EnsureSuccess();
    }

    private async Task StartServersAsync()
    {
        var server = Lab.Topology.Server;
        _log($"starting nginx, iperf3 -s and the echo server in {server.Name} ...");
        _servers.Add(await NginxServer.StartAsync(server, Lab.WorkDirectory, LabTopology.ServerV4, HttpPort).ConfigureAwait(false));
        _servers.Add(await Iperf.StartServerAsync(server).ConfigureAwait(false));
        string self = Path.Combine(AppContext.BaseDirectory, "Bellows.LabBenchmarks.dll");
        var echo = ToolProcess.Start(server, "echo server",
            ["dotnet", self, EchoServerCommand.Name, server.Name, EchoPort.ToString(CultureInfo.InvariantCulture)]);
        _servers.Add(echo);
        await ListenProbe.WaitAsync(server, EchoPort, echo, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }
}
