// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;
using Bellows.Proxy.Acceptors;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Workers;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Udp;

/// <summary>
/// One configured UDP listener: TPROXY flows to their original destination, or (REDIRECT) DNS to the
/// configured nameservers. Same N receivers × M workers hand-off mesh as TCP.
/// </summary>
public sealed class UdpListenerGroup : ListenerGroup
{
    /// <summary>256 KiB: room for a burst of first datagrams, short enough that overload drops rather than delays.</summary>
    private const int ListenerReceiveBuffer = 256 * 1024;

    private readonly UdpReceiver[] _receivers;
    private readonly UdpFlowTable _table;

    public UdpListenerGroup(ListenerConfig config, BellowsConfig root, PinnedBufferPool pool, SessionBudget budget, ILoggerFactory loggers)
        : base(config)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = UdpFlowSettings.From(config, root);
        var receiveSockets = OpenSockets((endPoint, reusePort, count) =>
            ListenSocketFactory.CreateUdp(endPoint, Transparent, reusePort, count, ListenerReceiveBuffer));

        _table = new UdpFlowTable(root.Udp.MaxFlows);
        var nameservers = new NameserverSelector(root.Dns);
        if (config.Mode == ListenerMode.Redirect)
        {
            UdpListenerLog.Nameservers(loggers.CreateLogger("Bellows.Udp"), config.Name,
                nameservers.Count == 0 ? "none: every redirected query is dropped" : string.Join(", ", nameservers.Servers),
                nameservers.FromSystem ? "/etc/resolv.conf (dns.nameservers is empty)" : "dns.nameservers");
        }

        var sessionLogger = loggers.CreateLogger("Bellows.Session");
        var workers = Enumerable.Range(0, WorkerCount).Select(j => new Worker(j, budget, sessionLogger, root.Logging.SessionLog)).ToArray();
        var mesh = new HandoffMesh<IProxySession>(receiveSockets.Count, workers.Length, root.Limits.HandoffQueue);
        var logger = loggers.CreateLogger("Bellows.Udp");
        _receivers = receiveSockets
            .Select((s, i) => new UdpReceiver(i, s, settings, _table, mesh.WritersOf(i), workers, budget, pool, nameservers, logger))
            .ToArray();
        Assemble(workers, mesh, [.. _receivers.Select(r => (Func<CancellationToken, Task>)r.RunAsync)]);
    }

    public UdpFlowTable Flows => _table;

    public override void AbortAll(CloseReason reason)
    {
        _table.AbortAll(reason);
        base.AbortAll(reason);
    }

    public override ListenerStatistics GetStatistics() =>
        Statistics(_receivers.Select(r => new AcceptorStatistics(r.Index, r.EndPoint, r.Datagrams, 0, 0)).ToArray(), "udp", _table.GetStatistics());
}
