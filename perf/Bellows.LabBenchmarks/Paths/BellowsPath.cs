// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using Bellows.Config;
using Bellows.Lab;
using Bellows.Lab.Network;

namespace Bellows.LabBenchmarks.Paths;

/// <summary>Bellows in the gateway, started by the lab with its generated config and the lab's diversion rules.</summary>
public sealed class BellowsPath : ITrafficPath
{
    /// <summary>The lab config's TPROXY listener; the REDIRECT listener sees no benchmark traffic.</summary>
    private const string ListenerName = "tcp";

    private readonly LabEnvironment _lab;
    private readonly LabOptions _options;

    public BellowsPath(LabEnvironment lab, AcceptorMode acceptorMode)
    {
        ArgumentNullException.ThrowIfNull(lab);
        _lab = lab;
        _options = lab.Options with { AcceptorMode = acceptorMode };
        Name = acceptorMode == AcceptorMode.Shared ? "Bellows (shared)" : "Bellows (reuseport)";
    }

    public string Name { get; }

    public int? ProxyPid => _lab.Bellows?.Pid;

    public async Task StartAsync()
    {
        await _lab.StartBellowsAsync(LabConfigWriter.Render(_options, _lab.Topology.ManagementSocket)).ConfigureAwait(false);
        await LabNetwork.ApplyDiversionAsync(_lab.Topology, _lab.Diversion).ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        await LabNetwork.RemoveDiversionAsync(_lab.Topology, _lab.Diversion).ConfigureAwait(false);
        await _lab.StopBellowsAsync().ConfigureAwait(false);
    }

    public async Task<ProxyCounters?> ReadCountersAsync()
    {
        var bellows = _lab.Bellows ?? throw new BenchmarkException("bellows is not running");
        var status = await bellows.GetStatusAsync().ConfigureAwait(false);
        long accepted = status.Listeners.Where(l => l.Name == ListenerName).SelectMany(l => l.Workers).Sum(w => w.SessionsHandled);
        var pool = status.Pool;
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"managed heap {status.ManagedHeapBytes / 1048576.0:0.0} MiB; buffer pool: {pool.BufferSize / 1024} KiB buffers, {pool.Outstanding} outstanding, {pool.Retained} retained, peak {pool.PeakOutstanding}");
        return new ProxyCounters(accepted, status.LiveSessions, detail);
    }
}
