// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Bellows.Config;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Workers;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Udp;

/// <summary>
/// The UDP counterpart of an acceptor: reads datagrams from a listening socket, routes those of known flows
/// to their flow, and opens a flow (left socket, hand-off to a worker) for the first datagram of a new one.
/// </summary>
/// <remarks>
/// The bind/connect race: a new flow's left socket is bound to the original destination before it is
/// connected to the client; in between, it matches datagrams of *any* client sent to that destination, and
/// the kernel queues them on it. Smithproxy narrows the window with SO_BINDTODEVICE "lo" and a process-wide
/// mutex. Bellows closes it instead: right after connect() it drains the new socket's queue (connect does not
/// purge it) and hands every datagram that came from another client back to the dispatcher, exactly as if
/// the listener had read it. Nothing is lost and no lock is taken. The cost is that a handful of datagrams
/// of a flow being set up may be reordered, which UDP allows.
/// </remarks>
public sealed class UdpReceiver
{
    private const int MaxDatagram = 65536;
    private const int DrainBatch = 1024;

    private readonly Socket _socket;
    private readonly UdpFlowSettings _settings;
    private readonly UdpFlowTable _table;
    private readonly ChannelWriter<IProxySession>[] _outboxes;
    private readonly Worker[] _workers;
    private readonly SessionBudget _budget;
    private readonly PinnedBufferPool _pool;
    private readonly NameserverSelector _nameservers;
    private readonly WorkerSelector _selector;
    private readonly ILogger _logger;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
    private readonly byte[] _scratch = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
    private readonly Queue<(IPEndPoint Source, IPEndPoint Destination, byte[] Data)> _handBack = new();
    private long _datagrams;

    public UdpReceiver(int index, Socket socket, UdpFlowSettings settings, UdpFlowTable table, ChannelWriter<IProxySession>[] outboxes,
        Worker[] workers, SessionBudget budget, PinnedBufferPool pool, NameserverSelector nameservers, ILogger logger)
    {
        Index = index;
        _socket = socket;
        _settings = settings;
        _table = table;
        _outboxes = outboxes;
        _workers = workers;
        _budget = budget;
        _pool = pool;
        _nameservers = nameservers;
        _logger = logger;
        _selector = new WorkerSelector(new Random(unchecked(Environment.TickCount * 17 + index)));
        EndPoint = socket.LocalEndPoint?.ToString() ?? "?";
    }

    public int Index { get; }

    public string EndPoint { get; }

    public long Datagrams => Volatile.Read(ref _datagrams);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Readiness only; the datagrams are read with recvmsg to learn their original destination.
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stopping).ConfigureAwait(false);
                for (int i = 0; i < DrainBatch && DatagramReceive.TryReceive(_socket, _buffer, out var datagram); i++)
                {
                    Interlocked.Increment(ref _datagrams);
                    if (datagram.OriginalDestination is null || datagram.Truncated)
                    {
                        _table.CountNoDestination();
                        continue;
                    }

                    Dispatch(datagram.Source, datagram.OriginalDestination, _buffer.AsSpan(0, datagram.Length));
                    DispatchHandedBack();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error queued on the listening socket: nothing to do with it.
            }
        }
    }

    private void DispatchHandedBack()
    {
        while (_handBack.TryDequeue(out var item))
        {
            _table.CountRedispatched();
            Dispatch(item.Source, item.Destination, item.Data);
        }
    }

    private void Dispatch(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> data)
    {
        var key = new UdpFlowKey(source, destination);
        if (_table.TryGet(key, out var existing) && !existing.IsClosed)
        {
            existing.Deliver(data);
            return;
        }

        var target = _settings.Mode == ListenerMode.Redirect ? _nameservers.Pick(Environment.TickCount64) : destination;
        if (target is null || (_settings.Mode == ListenerMode.Tproxy && destination.Port == _settings.Port))
        {
            _table.CountNoDestination();
            return;
        }

        if (!ReserveSlot())
        {
            _table.CountNoRoom();
            return;
        }

        UdpFlow flow;
        try
        {
            flow = OpenFlow(key, target, data);
        }
        catch (SocketException e)
        {
            _budget.Release();
            UdpFlowLog.FlowSetupFailed(_logger, _settings.Listener, source.ToString(), destination.ToString(), e.SocketErrorCode.ToString());
            return;
        }

        if (!Handoff.TryDispatch(_selector, _workers, _outboxes, flow))
        {
            flow.Reject();
            _table.Remove(flow);
            _budget.Release();
            _table.CountNoRoom();
        }
    }

    /// <summary>A session slot within the fd budget and the flow-table size, evicting the oldest idle flow if needed.</summary>
    private bool ReserveSlot()
    {
        if (!_table.IsFull && _budget.TryAcquire())
        {
            return true;
        }

        if (!_table.EvictOne())
        {
            return false;
        }

        _budget.ForceAcquire();
        return true;
    }

    private UdpFlow OpenFlow(UdpFlowKey key, IPEndPoint target, ReadOnlySpan<byte> first)
    {
        var left = new Socket(key.Destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        UdpFlow? flow = null;
        bool added = false;
        try
        {
            left.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (_settings.Mode == ListenerMode.Tproxy)
            {
                LinuxSocketOptions.SetTransparent(left);
            }

            flow = new UdpFlow(key, target, left, _settings, _pool, _table);
            flow.Deliver(first);
            added = _table.TryAdd(flow);
            if (!added)
            {
                throw new SocketException((int)SocketError.AddressAlreadyInUse);
            }

            left.Bind(key.Destination);
            left.Connect(key.Client);
        }
        catch
        {
            if (added)
            {
                _table.Remove(flow!);
            }

            left.Dispose();
            throw;
        }

        // Close the bind/connect race (see remarks): what landed here meanwhile is this client's, or goes back.
        var scratch = _scratch;
        while (DatagramReceive.TryReceive(left, scratch, out var caught))
        {
            if (caught.Source.Equals(key.Client))
            {
                flow.Deliver(scratch.AsSpan(0, caught.Length));
            }
            else
            {
                _handBack.Enqueue((caught.Source, key.Destination, scratch.AsSpan(0, caught.Length).ToArray()));
            }
        }

        return flow;
    }
}
