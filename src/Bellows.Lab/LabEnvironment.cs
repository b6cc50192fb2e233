// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab.Network;
using Bellows.Lab.Processes;
using Bellows.Lab.Servers;
using Bellows.Proxy.Diversion;

namespace Bellows.Lab;

/// <summary>
/// A whole lab: client, gateway and server namespaces, the built-in servers, the diversion rules and a Bellows
/// process in the gateway. `bellows lab`, the functional tests and the benchmark all build their labs here.
/// </summary>
public sealed class LabEnvironment : IAsyncDisposable
{
    private readonly List<IDisposable> _servers = [];
    private LabDnsServer? _dns;

    private LabEnvironment(LabOptions options)
    {
        Options = options;
        Topology = new LabTopology(options.Prefix);
        Diversion = new DiversionOptions
        {
            TproxyPorts = options.TproxyPorts,
            RedirectPorts = options.RedirectPorts,
            UdpTproxyPorts = options.UdpTproxyPorts,
            DnsRedirectListenerPort = 51053,
            InputInterfaces = [LabTopology.GatewayClientInterface],
            UpstreamMark = options.UpstreamMark,
        };
        WorkDirectory = Path.Combine(Path.GetTempPath(), "bellows-lab-" + options.Prefix);
    }

    public LabOptions Options { get; }

    public LabTopology Topology { get; }

    public DiversionOptions Diversion { get; }

    public string WorkDirectory { get; }

    public BellowsProcess? Bellows { get; private set; }

    public static async Task<LabEnvironment> CreateAsync(LabOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!LabTopology.IsValidPrefix(options.Prefix))
        {
            throw new LabException($"lab prefix '{options.Prefix}' must be 1-8 lowercase letters or digits");
        }

        var lab = new LabEnvironment(options);
        Directory.CreateDirectory(lab.WorkDirectory);
        try
        {
            await LabNetwork.UpAsync(lab.Topology, lab.Diversion).ConfigureAwait(false);
            if (options.StartServers)
            {
                lab.StartServers();
            }

            if (options.StartDns)
            {
                lab._dns = await LabDnsServer.StartAsync(lab.Topology.Server, lab.WorkDirectory).ConfigureAwait(false);
            }
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return lab;
    }

    /// <summary>Starts Bellows in the gateway with the lab's configuration (or <paramref name="configText"/>).</summary>
    public async Task<BellowsProcess> StartBellowsAsync(string? configText = null, Action<string>? echo = null)
    {
        if (Bellows is not null)
        {
            throw new LabException("bellows already runs in this lab");
        }

        string configPath = Path.Combine(WorkDirectory, "bellows.jsonc");
        await File.WriteAllTextAsync(configPath, configText ?? LabConfigWriter.Render(Options, Topology.ManagementSocket)).ConfigureAwait(false);
        Bellows = await BellowsProcess.StartAsync(Topology.Gateway, configPath, Topology.ManagementSocket, echo).ConfigureAwait(false);
        return Bellows;
    }

    public async Task StopBellowsAsync()
    {
        if (Bellows is { } bellows)
        {
            Bellows = null;
            await bellows.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs curl in the client namespace (bounded: --max-time).</summary>
    public Task<CommandResult> CurlAsync(params string[] arguments) =>
        Topology.Client.RunAsync(new[] { "curl", "-sS", "--max-time", "60" }.Concat(arguments), TimeSpan.FromSeconds(90));

    public async ValueTask DisposeAsync()
    {
        await StopBellowsAsync().ConfigureAwait(false);
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _servers.Clear();
        if (_dns is not null)
        {
            await _dns.DisposeAsync().ConfigureAwait(false);
        }

        await LabNetwork.DownAsync(Topology).ConfigureAwait(false);
        if (Directory.Exists(WorkDirectory))
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
    }

    private void StartServers()
    {
        var ns = Topology.Server;
        LabTcpServer[] tcp = [new LabHttpServer(ns, Options.HttpPorts), new LabEchoServer(ns, Options.EchoPort), new LabHalfCloseServer(ns, Options.HalfClosePort)];
        foreach (var server in tcp)
        {
            server.Start();
            _servers.Add(server);
        }

        var udp = new LabUdpServer(ns, Options.UdpEchoPort);
        udp.Start();
        _servers.Add(udp);
    }
}
