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

    private static readonly Metric[] s_allMetrics = [Metric.BulkOneStream, Metric.BulkFourStreams, Metric.NewConnections, Metric.KeepAlive];

    private readonly BenchmarkOptions _options;
    private readonly Action<string> _log;
    private readonly List<Measurement> _measurements = [];
    private readonly List<IdleSample> _idleSamples = [];
    private readonly List<ToolProcess> _servers = [];
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

            // Per-session log lines cost CPU that HAProxy (no log configured) does not pay.
            SessionLog = false,
            DrainSeconds = 1,
        }).ConfigureAwait(false);
        Directory.CreateDirectory(Lab.WorkDirectory);
        await StartServersAsync().ConfigureAwait(false);

        int maxConnections = HaproxyPath.MaxConnectionsFor(environment.OpenFilesHardLimit);
        var routed = new RoutedPath(Lab);
        var haproxy = new HaproxyPath(Lab, environment.HaproxyVersion, maxConnections);
        var reusePort = new BellowsPath(Lab, AcceptorMode.ReusePort);
        var shared = new BellowsPath(Lab, AcceptorMode.Shared);

        // :: Step 2
        for (int run = 1; run <= _options.Runs; run++)
        {
            await MeasurePathAsync(routed, run, s_allMetrics, cancellationToken).ConfigureAwait(false);
            await MeasurePathAsync(haproxy, run, s_allMetrics, cancellationToken).ConfigureAwait(false);
            await MeasurePathAsync(reusePort, run, s_allMetrics, cancellationToken).ConfigureAwait(false);
            await MeasurePathAsync(shared, run, [Metric.NewConnections], cancellationToken).ConfigureAwait(false);
        }

        // :: Step 3
        var idle = new IdleConnectionTest(Lab.Topology.Client, new IPEndPoint(LabTopology.ServerV4, EchoPort), _log);
        for (int run = 1; run <= _options.Runs; run++)
        {
            foreach (var path in new ITrafficPath[] { haproxy, reusePort })
            {
                _log($"run {run}/{_options.Runs}: {path.Name}, {_options.IdleConnections} idle connections");
                await path.StartAsync().ConfigureAwait(false);
                try
                {
                    var sample = await idle.RunAsync(path, _options.IdleConnections, run, cancellationToken).ConfigureAwait(false);
                    _idleSamples.Add(sample);
                    _log(string.Create(CultureInfo.InvariantCulture,
                        $"  RSS {sample.ResidentBefore / 1048576.0:0.0} -> {sample.ResidentIdle / 1048576.0:0.0} MiB, {sample.KibPerConnection:0.00} KiB/connection, {sample.StillAlive}/{sample.Probed} still echo{(sample.Detail is { } d ? "; " + d : "")}"));
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
