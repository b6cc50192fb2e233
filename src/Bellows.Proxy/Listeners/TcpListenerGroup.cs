// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
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
public sealed class TcpListenerGroup : ListenerGroup
{
    private readonly TcpAcceptor[] _acceptors;

    public TcpListenerGroup(ListenerConfig config, RelayConfig relay, int handoffCapacity, PinnedBufferPool pool,
        SessionBudget budget, ILoggerFactory loggers, bool logSessions, Tls.TlsInspector? tls = null)
        : base(config)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        Settings = ListenerSettings.From(config, relay) with { Inspector = tls };
        var listenSockets = OpenSockets((endPoint, reusePort, count) =>
            ListenSocketFactory.CreateTcp(endPoint, Transparent, reusePort, count, config.Backlog));

        var sessionLogger = loggers.CreateLogger("Bellows.Session");
        var workers = Enumerable.Range(0, WorkerCount).Select(j => new Worker(j, budget, sessionLogger, logSessions)).ToArray();
        var mesh = new HandoffMesh<IProxySession>(listenSockets.Count, workers.Length, handoffCapacity);
        var acceptorLogger = loggers.CreateLogger("Bellows.Acceptor");
        _acceptors = listenSockets
            .Select((socket, i) => new TcpAcceptor(i, Settings, socket, mesh.WritersOf(i), workers, budget, pool, acceptorLogger))
            .ToArray();
        Assemble(workers, mesh, [.. _acceptors.Select(a => (Func<CancellationToken, Task>)a.RunAsync)]);
    }

    public ListenerSettings Settings { get; }

    public long LiveSessions => Workers.Sum(w => w.LiveSessions);

    public override ListenerStatistics GetStatistics() =>
        Statistics(_acceptors.Select(a => a.GetStatistics()).ToArray(), "tcp", null);
}
