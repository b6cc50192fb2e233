// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
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
/// the listener had read it; the flow's own up loop checks every sender as well, for a datagram the kernel
/// pinned to the socket during the window but queued only after the drain. Nothing is lost and no lock is
/// taken. The cost is that a handful of datagrams
/// of a flow being set up may be reordered, which UDP allows.
/// </remarks>
public sealed class UdpReceiver : IDatagramRedispatch
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
    private readonly ConcurrentQueue<(IPEndPoint Source, IPEndPoint Destination, byte[] Data)> _handBack = new();
    private TaskCompletionSource _handedBack = NewSignal();
    private Task? _readable;
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
                await WaitForWorkAsync(stopping).ConfigureAwait(false);
                ServeBatch();
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

    public void Redispatch(IPEndPoint source, IPEndPoint originalDestination, byte[] datagram)
    {
        _handBack.Enqueue((source, originalDestination, datagram));
        Volatile.Read(ref _handedBack).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Until the listener is readable or a flow hands a datagram back. The readiness wait (a zero-byte
    /// receive, i.e. a peek: the datagrams are read with recvmsg to learn their original destination) stays
    /// pending across wake-ups by hand-back; only one is ever outstanding.
    /// </summary>
    private async Task WaitForWorkAsync(CancellationToken stopping)
    {
        if (!_handBack.IsEmpty)
        {
            return;
        }

        // Re-arm before the second look, so a hand-back between the two cannot be missed.
        var signal = NewSignal();
        Volatile.Write(ref _handedBack, signal);
        if (!_handBack.IsEmpty)
        {
            return;
        }

        _readable ??= _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stopping).AsTask();
        await Task.WhenAny(_readable, signal.Task).ConfigureAwait(false);
        if (_readable.IsCompleted)
        {
            var done = _readable;
            _readable = null;
            await done.ConfigureAwait(false); // surfaces cancellation and socket errors to RunAsync
        }
    }

    /// <summary>
    /// Alternates between the listener's queue and datagrams handed back by new flows' sockets. Under a flood
    /// nearly every new flow catches someone else's datagram in its bind/connect window, so the hand-back
    /// queue refills itself; serving it to exhaustion first would starve the listener, and with it every
    /// well-behaved new flow (a DNS query, say), for as long as the flood lasts.
    /// </summary>
    private void ServeBatch()
    {
        for (int i = 0; i < DrainBatch; i++)
        {
            bool read = DatagramReceive.TryReceive(_socket, _buffer, out var datagram);
            if (read)
            {
                Interlocked.Increment(ref _datagrams);
                if (datagram.OriginalDestination is null || datagram.Truncated)
                {
                    _table.CountNoDestination();
                }
                else
                {
                    Dispatch(datagram.Source, datagram.OriginalDestination, _buffer.AsSpan(0, datagram.Length));
                }
            }

            bool handedBack = _handBack.TryDequeue(out var item);
            if (handedBack)
            {
                _table.CountRedispatched();
                Dispatch(item.Source, item.Destination, item.Data);
            }

            if (!read && !handedBack)
            {
                return;
            }
        }
    }

    private void Dispatch(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> data)
    {
        var key = new UdpFlowKey(source, destination);
        if (_table.TryGet(key, out var existing))
        {
            if (!existing.IsClosed)
            {
                existing.Deliver(data);
                return;
            }

            // Ended a moment ago and not yet removed by its worker: the same 5-tuple starts a fresh flow.
            _table.Remove(existing);
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
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // OpenFlow has given its table place back already.
            _budget.Release();
            UdpFlowLog.FlowSetupFailed(_logger, _settings.Listener, source.ToString(), destination.ToString(),
                e is SocketException se ? se.SocketErrorCode.ToString() : e.GetType().Name + ": " + e.Message);
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
        if (_table.TryReserve())
        {
            if (_budget.TryAcquire())
            {
                return true;
            }

            _table.Unreserve();
        }

        // Full (table or descriptors): the evicted flow's sockets close now, so its place and fds are free.
        if (!_table.EvictOne() || !_table.TryReserve())
        {
            return false;
        }

        _budget.ForceAcquire();
        return true;
    }

    private UdpFlow OpenFlow(UdpFlowKey key, IPEndPoint target, ReadOnlySpan<byte> first)
    {
        Socket? left = null;
        UdpFlow? flow = null;
        bool added = false;
        try
        {
            left = new Socket(key.Destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            left.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            left.ReceiveBufferSize = UdpFlow.SocketReceiveBuffer;
            if (_settings.Mode == ListenerMode.Tproxy)
            {
                LinuxSocketOptions.SetTransparent(left);
            }

            flow = new UdpFlow(key, target, left, _settings, _pool, _table, this);
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
            else
            {
                _table.Unreserve();
            }

            left?.Dispose();
            throw;
        }

        // Close the bind/connect race (see remarks): what landed here meanwhile is this client's, or goes back.
        var scratch = _scratch;
        while (TryDrain(left, scratch, out var caught))
        {
            if (caught.Source.Equals(key.Client))
            {
                flow.Deliver(scratch.AsSpan(0, caught.Length));
            }
            else
            {
                Redispatch(caught.Source, key.Destination, scratch.AsSpan(0, caught.Length).ToArray());
            }
        }

        return flow;
    }

    /// <summary>One datagram queued on a new left socket; a pending ICMP error there just ends the drain.</summary>
    private static bool TryDrain(Socket left, byte[] scratch, out DatagramInfo caught)
    {
        try
        {
            return DatagramReceive.TryReceive(left, scratch, out caught);
        }
        catch (SocketException)
        {
            caught = default;
            return false;
        }
    }
}
