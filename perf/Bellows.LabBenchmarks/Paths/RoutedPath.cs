// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab;
using Bellows.Lab.Network;

namespace Bellows.LabBenchmarks.Paths;

/// <summary>The baseline: the diversion rules are removed and the gateway only forwards.</summary>
public sealed class RoutedPath : ITrafficPath
{
    private readonly LabEnvironment _lab;

    public RoutedPath(LabEnvironment lab) => _lab = lab;

    public string Name => "routed (no proxy)";

    public int? ProxyPid => null;

    public async Task StartAsync()
    {
        await LabNetwork.RemoveDiversionAsync(_lab.Topology, _lab.Diversion).ConfigureAwait(false);
        var table = await _lab.Topology.Gateway.RunAsync("nft", "list", "table", "inet", _lab.Diversion.TableName).ConfigureAwait(false);
        if (table.Succeeded)
        {
            throw new BenchmarkException("the diversion table is still there: the routed baseline would go through a proxy");
        }
    }

    public Task StopAsync() => Task.CompletedTask;

    public Task<ProxyCounters?> ReadCountersAsync() => Task.FromResult<ProxyCounters?>(null);
}
