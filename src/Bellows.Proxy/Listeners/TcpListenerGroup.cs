// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Config;
using Bellows.Proxy.Acceptors;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Workers;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Listeners;

/// <summary>
/// One configured TCP listener: its listening sockets (one per address, or N per address with SO_REUSEPORT),
/// its acceptors, its M workers and the hand-off mesh between them.
/// </summary>
public sealed class TcpListenerGroup : IListenerGroup
{
    private readonly ListenerConfig _config;
    private readonly List<Socket> _sockets = [];
    private readonly TcpAcceptor[] _acceptors;
    private readonly Worker[] _workers;
    private readonly HandoffMesh<IProxySession> _mesh;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _stopWorkers = new();
    private Task _acceptorsDone = Task.CompletedTask;
    private Task _workersDone = Task.CompletedTask;

    public TcpListenerGroup(ListenerConfig config, RelayConfig relay, int handoffCapacity, PinnedBufferPool pool,
        SessionBudget budget, ILoggerFactory loggers, bool logSessions, Tls.TlsInspector? tls = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        _config = config;
        Settings = ListenerSettings.From(config, relay) with { Inspector = tls };
        int perAddress = config.Acceptors > 0 ? config.Acceptors : Environment.ProcessorCount;
        int workers = config.Workers > 0 ? config.Workers : Environment.ProcessorCount;
        bool reusePort = config.AcceptorMode == AcceptorMode.ReusePort;
        bool transparent = config.Mode == ListenerMode.Tproxy;

        // :: one socket per address (shared by its acceptors) or one per acceptor (SO_REUSEPORT)
        var listenSockets = new List<Socket>();
        try
        {
            foreach (var address in config.Addresses)
            {
                var endPoint = new IPEndPoint(IPAddress.Parse(address), config.Port);
                var created = ListenSocketFactory.CreateTcp(endPoint, transparent, reusePort, perAddress, config.Backlog);
                _sockets.AddRange(created);
                for (int i = 0; i < perAddress; i++)
                {
                    listenSockets.Add(created[reusePort ? i : 0]);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        var sessionLogger = loggers.CreateLogger("Bellows.Session");
        _workers = Enumerable.Range(0, workers)
            .Select(j => new Worker(j, budget, sessionLogger, logSessions))
            .ToArray();
        _mesh = new HandoffMesh<IProxySession>(listenSockets.Count, workers, handoffCapacity);
        var acceptorLogger = loggers.CreateLogger("Bellows.Acceptor");
        _acceptors = listenSockets
            .Select((socket, i) => new TcpAcceptor(i, Settings, socket, _mesh.WritersOf(i), _workers, budget, pool, acceptorLogger))
            .ToArray();
    }

    public ListenerSettings Settings { get; }

    public IReadOnlyList<Worker> Workers => _workers;

    public IEnumerable<string> EndPoints => _sockets.Select(s => s.LocalEndPoint?.ToString() ?? "?").Distinct();

    public long LiveSessions => _workers.Sum(w => w.LiveSessions);

    public void Start()
    {
        _workersDone = Task.WhenAll(_workers.Select((w, j) => w.RunAsync(_mesh.ReadersOf(j), _stopWorkers.Token)));
        _acceptorsDone = Task.WhenAll(_acceptors.Select(a => Task.Run(() => a.RunAsync(_stopAccepting.Token))));
    }

    /// <summary>Stops accepting: listening sockets close, so new connections are refused by the kernel.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await _acceptorsDone.ConfigureAwait(false);

        // Connections already handed off still start (and are drained like any other session).
        _mesh.Complete();
    }

    public void AbortAll(CloseReason reason)
    {
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
        _acceptors.Select(a => a.GetStatistics()).ToArray(),
        _workers.Select(w => w.GetStatistics()).ToArray(),
        "tcp",
        null);

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _stopAccepting.Dispose();
        _stopWorkers.Dispose();
    }
}
