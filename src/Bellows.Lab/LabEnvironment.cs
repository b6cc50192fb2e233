// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab.Network;
using Bellows.Lab.Processes;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;
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
    private LabOcspResponder? _ocsp;

    private LabEnvironment(LabOptions options)
    {
        Options = options;
        Topology = new LabTopology(options.Prefix);
        Diversion = new DiversionOptions
        {
            TproxyPorts = options.TproxyPorts,
            TlsTproxyPorts = options.Tls ? options.TlsPorts : [],
            TlsTproxyListenerPort = options.TlsListenerPort,
            RedirectPorts = options.RedirectPorts,
            UdpTproxyPorts = options.UdpTproxyPorts,
            DnsRedirectListenerPort = 51053,
            InputInterfaces = [LabTopology.GatewayClientInterface],
            UpstreamMark = options.UpstreamMark,
        };
        WorkDirectory = options.WorkDirectory;
    }

    public LabOptions Options { get; }

    public LabTopology Topology { get; }

    public DiversionOptions Diversion { get; }

    public string WorkDirectory { get; }

    public BellowsProcess? Bellows { get; private set; }

    /// <summary>The TLS origin's CA and certificates (files in <see cref="WorkDirectory"/>); null with neither TLS nor servers.</summary>
    public LabOriginPki? OriginPki { get; private set; }

    /// <summary>The origin CA's certificate file (trusted upstream by Bellows; a client trusting it sees the origin as valid).</summary>
    public string OriginCaPath => Path.Combine(WorkDirectory, LabOriginPki.CaFileName);

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

            // Whenever Bellows' configuration names the origin CA as its trust bundle, the file exists, servers or not.
            if (options.Tls || options.StartServers)
            {
                lab.OriginPki = LabOriginPki.Create(lab.WorkDirectory, options.Prefix);
            }

            if (options.StartServers)
            {
                await lab.StartServersAsync().ConfigureAwait(false);
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
        if (_ocsp is not null)
        {
            await _ocsp.DisposeAsync().ConfigureAwait(false);
        }

        OriginPki?.Dispose();
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

    private async Task StartServersAsync()
    {
        var ns = Topology.Server;
        var pki = OriginPki!;
        var files = new Dictionary<string, LabHttpFile> { [LabOriginPki.CrlPath] = new("application/pkix-crl", pki.Crl) };
        LabTcpServer[] tcp =
        [
            new LabHttpServer(ns, files, Options.HttpPorts),
            new LabEchoServer(ns, Options.EchoPort),
            new LabHalfCloseServer(ns, Options.HalfClosePort),
            new LabTlsServer(ns, pki, LabTlsServer.Port),
            new LabLineServer(ns, LabLineServer.Port),
        ];
        foreach (var server in tcp)
        {
            server.Start();
            _servers.Add(server);
        }

        var udp = new LabUdpServer(ns, Options.UdpEchoPort);
        udp.Start();
        _servers.Add(udp);
        _ocsp = await LabOcspResponder.StartAsync(ns, pki).ConfigureAwait(false);
    }
}
