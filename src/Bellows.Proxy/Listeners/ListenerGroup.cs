// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Config;
using Bellows.Proxy.Acceptors;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Udp;
using Bellows.Proxy.Workers;

namespace Bellows.Proxy.Listeners;

/// <summary>
/// What every listener kind shares: its listening sockets (one per address, shared by that address's N front
/// tasks, or N per address with SO_REUSEPORT), the front tasks (acceptors or receivers) that take connections or
/// flows off them, the M workers, the hand-off mesh between the two, and the order they stop in.
/// </summary>
public abstract class ListenerGroup : IListenerGroup
{
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stopFront = new();
    private readonly CancellationTokenSource _stopWorkers = new();
    private Task _frontDone = Task.CompletedTask;
    private Task _workersDone = Task.CompletedTask;
    private Func<CancellationToken, Task>[] _front = [];
    private Worker[] _workers = [];
    private HandoffMesh<IProxySession>? _mesh;

    protected ListenerGroup(ListenerConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
    }

    protected ListenerConfig Config { get; }

    /// <summary>Front tasks per address: <c>acceptors</c>, or one per core.</summary>
    protected int FrontPerAddress => Config.Acceptors > 0 ? Config.Acceptors : Environment.ProcessorCount;

    /// <summary><c>workers</c>, or one per core.</summary>
    protected int WorkerCount => Config.Workers > 0 ? Config.Workers : Environment.ProcessorCount;

    protected bool Transparent => Config.Mode == ListenerMode.Tproxy;

    public IReadOnlyList<Worker> Workers => _workers;

    public IEnumerable<string> EndPoints => _sockets.Select(s => s.LocalEndPoint?.ToString() ?? "?").Distinct();

    /// <summary>
    /// Opens the listening sockets with <paramref name="create"/> (end point, SO_REUSEPORT, sockets wanted) and
    /// returns the socket each front task reads, in front-task order. On failure everything opened is closed.
    /// </summary>
    protected List<Socket> OpenSockets(Func<IPEndPoint, bool, int, IReadOnlyList<Socket>> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        bool reusePort = Config.AcceptorMode == AcceptorMode.ReusePort;
        int perAddress = FrontPerAddress;
        var perFront = new List<Socket>();
        try
        {
            foreach (var address in Config.Addresses)
            {
                var created = create(new IPEndPoint(IPAddress.Parse(address), Config.Port), reusePort, perAddress);
                _sockets.AddRange(created);
                for (int i = 0; i < perAddress; i++)
                {
                    perFront.Add(created[reusePort ? i : 0]);
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        return perFront;
    }

    /// <summary>Called once by the derived constructor, when its workers, mesh and front tasks exist.</summary>
    protected void Assemble(Worker[] workers, HandoffMesh<IProxySession> mesh, Func<CancellationToken, Task>[] front)
    {
        _workers = workers;
        _mesh = mesh;
        _front = front;
    }

    public void Start()
    {
        var mesh = _mesh ?? throw new InvalidOperationException("the listener group was not assembled");
        _workersDone = Task.WhenAll(_workers.Select((w, j) => w.RunAsync(mesh.ReadersOf(j), _stopWorkers.Token)));
        _frontDone = Task.WhenAll(_front.Select(run => Task.Run(() => run(_stopFront.Token))));
    }

    /// <summary>Stops accepting: listening sockets close, so new connections are refused by the kernel.</summary>
    public async Task StopAcceptingAsync()
    {
        await _stopFront.CancelAsync().ConfigureAwait(false);
        CloseSockets();
        await _frontDone.ConfigureAwait(false);

        // Connections already handed off still start (and are drained like any other session).
        _mesh?.Complete();
    }

    public virtual void AbortAll(CloseReason reason)
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

    public abstract ListenerStatistics GetStatistics();

    /// <summary>The statistics both kinds report, with their own front and flow figures.</summary>
    protected ListenerStatistics Statistics(AcceptorStatistics[] front, string protocol, UdpFlowStatistics? flows) => new(
        Config.Name,
        Config.Mode.ToString().ToLowerInvariant(),
        Config.Port,
        Config.AcceptorMode.ToString().ToLowerInvariant(),
        front,
        _workers.Select(w => w.GetStatistics()).ToArray(),
        protocol,
        flows);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseSockets();
            _stopFront.Dispose();
            _stopWorkers.Dispose();
        }
    }

    private void CloseSockets()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
