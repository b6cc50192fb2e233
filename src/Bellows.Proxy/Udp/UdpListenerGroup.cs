// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
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
public sealed class UdpListenerGroup : IListenerGroup
{
    /// <summary>256 KiB: room for a burst of first datagrams, short enough that overload drops rather than delays.</summary>
    private const int ListenerReceiveBuffer = 256 * 1024;

    private readonly ListenerConfig _config;
    private readonly List<Socket> _sockets = [];
    private readonly UdpReceiver[] _receivers;
    private readonly Worker[] _workers;
    private readonly HandoffMesh<IProxySession> _mesh;
    private readonly UdpFlowTable _table;
    private readonly CancellationTokenSource _stopReceiving = new();
    private readonly CancellationTokenSource _stopWorkers = new();
    private Task _receiversDone = Task.CompletedTask;
    private Task _workersDone = Task.CompletedTask;

    public UdpListenerGroup(ListenerConfig config, BellowsConfig root, PinnedBufferPool pool, SessionBudget budget, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(loggers);
        _config = config;
        var settings = UdpFlowSettings.From(config, root);
        int perAddress = config.Acceptors > 0 ? config.Acceptors : Environment.ProcessorCount;
        int workers = config.Workers > 0 ? config.Workers : Environment.ProcessorCount;
        bool reusePort = config.AcceptorMode == AcceptorMode.ReusePort;
        var receiveSockets = new List<Socket>();
        try
        {
            foreach (var address in config.Addresses)
            {
                var endPoint = new IPEndPoint(IPAddress.Parse(address), config.Port);
                var created = ListenSocketFactory.CreateUdp(endPoint, config.Mode == ListenerMode.Tproxy, reusePort, perAddress, ListenerReceiveBuffer);
                _sockets.AddRange(created);
                for (int i = 0; i < perAddress; i++)
                {
                    receiveSockets.Add(created[reusePort ? i : 0]);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _table = new UdpFlowTable(root.Udp.MaxFlows);
        var nameservers = new NameserverSelector(root.Dns);
        if (config.Mode == ListenerMode.Redirect)
        {
            UdpListenerLog.Nameservers(loggers.CreateLogger("Bellows.Udp"), config.Name,
                nameservers.Count == 0 ? "none: every redirected query is dropped" : string.Join(", ", nameservers.Servers),
                nameservers.FromSystem ? "/etc/resolv.conf (dns.nameservers is empty)" : "dns.nameservers");
        }

        var sessionLogger = loggers.CreateLogger("Bellows.Session");
        _workers = Enumerable.Range(0, workers).Select(j => new Worker(j, budget, sessionLogger, root.Logging.SessionLog)).ToArray();
        _mesh = new HandoffMesh<IProxySession>(receiveSockets.Count, workers, root.Limits.HandoffQueue);
        var logger = loggers.CreateLogger("Bellows.Udp");
        _receivers = receiveSockets
            .Select((s, i) => new UdpReceiver(i, s, settings, _table, _mesh.WritersOf(i), _workers, budget, pool, nameservers, logger))
            .ToArray();
    }

    public IEnumerable<string> EndPoints => _sockets.Select(s => s.LocalEndPoint?.ToString() ?? "?").Distinct();

    public UdpFlowTable Flows => _table;

    public void Start()
    {
        _workersDone = Task.WhenAll(_workers.Select((w, j) => w.RunAsync(_mesh.ReadersOf(j), _stopWorkers.Token)));
        _receiversDone = Task.WhenAll(_receivers.Select(r => Task.Run(() => r.RunAsync(_stopReceiving.Token))));
    }

    public async Task StopAcceptingAsync()
    {
        await _stopReceiving.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await _receiversDone.ConfigureAwait(false);
        _mesh.Complete();
    }

    public void AbortAll(CloseReason reason)
    {
        _table.AbortAll(reason);
        foreach (var worker in _workers)
        {
            worker.AbortAll(reason);
        }
    }

    public async Task StopWorkersAsync()
    {
        await _stopWorkers.CancelAsync().ConfigureAwait(false);
        await _workersDone.ConfigureAwait(false);
    }

    public ListenerStatistics GetStatistics() => new(
        _config.Name,
        _config.Mode.ToString().ToLowerInvariant(),
        _config.Port,
        _config.AcceptorMode.ToString().ToLowerInvariant(),
        _receivers.Select(r => new AcceptorStatistics(r.Index, r.EndPoint, r.Datagrams, 0, 0)).ToArray(),
        _workers.Select(w => w.GetStatistics()).ToArray(),
        "udp",
        _table.GetStatistics());

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _stopReceiving.Dispose();
        _stopWorkers.Dispose();
    }
}
