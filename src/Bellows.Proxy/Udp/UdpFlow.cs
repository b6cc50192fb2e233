// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bellows.Config;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Workers;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Udp;

/// <summary>
/// One "cooked" UDP flow: client ip:port ⇄ original destination ip:port.
/// </summary>
/// <remarks>
/// <code>
///  client ──▶ [left socket: bound to the original destination, connected to the client]
///                 │ up                                   ▲ down
///                 ▼                                      │
///            [right socket: connected to the destination (from Bellows, or spoofing the client)] ⇄ server
/// </code>
/// 1. The receiver creates the left socket and queues the first datagram(s) (bounded: excess is dropped
///    and counted); the worker then creates and connects the right socket.
/// 2. Queued datagrams go out first; datagrams that still reach the listener afterwards are sent at once.
/// 3. Two loops move datagrams, one per direction, boundaries intact; each waits without a buffer. The up
///    loop checks each sender and hands strangers back to the receiver.
/// 4. The flow ends on idle timeout, an ICMP error (port unreachable surfaces as ConnectionRefused on the
///    connected right socket), eviction or shutdown; both sockets close.
/// </remarks>
public sealed class UdpFlow : IProxySession
{
    /// <summary>
    /// Receive queue of each flow socket: a worker that lags a few milliseconds behind a fast flow must not
    /// cost datagrams (the kernel default holds only ~270 small ones). Memory is used only while queued.
    /// </summary>
    internal const int SocketReceiveBuffer = 1 << 20;

    private readonly Socket _left;
    private readonly UdpFlowSettings _settings;
    private readonly PinnedBufferPool _pool;
    private readonly UdpFlowTable _table;
    private readonly IDatagramRedispatch _redispatch;
    private readonly byte[] _clientAddress;
    private readonly ConcurrentQueue<byte[]> _early = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private Socket? _right;
    private FirstCloseReason _reason;
    private volatile bool _ready;
    private int _earlyCount;
    private long _earlyDropped;
    private long _datagramsUp;
    private long _bytesUp;
    private long _datagramsDown;
    private long _bytesDown;
    private long _lastActivity = Environment.TickCount64;
    private int _referenced;
    private int _closed;
    private int _worker = -1;

    public UdpFlow(UdpFlowKey key, IPEndPoint target, Socket left, UdpFlowSettings settings, PinnedBufferPool pool, UdpFlowTable table,
        IDatagramRedispatch redispatch)
    {
        _redispatch = redispatch;
        _clientAddress = SockAddr.Encode(key.Client);
        Key = key;
        Target = target;
        _left = left;
        _settings = settings;
        _pool = pool;
        _table = table;
        Id = SessionIds.Next();
        IdleTimeout = settings.Udp.IdleTimeoutFor(target.Port);
    }

    public long Id { get; }

    public UdpFlowKey Key { get; }

    /// <summary>Where datagrams go: the original destination (TPROXY) or a nameserver (REDIRECT DNS).</summary>
    public IPEndPoint Target { get; }

    public long LastActivity => Volatile.Read(ref _lastActivity);

    public TimeSpan IdleTimeout { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public CloseReason Reason => _reason.Value;

    public long DatagramsDown => Volatile.Read(ref _datagramsDown);

    /// <summary>CLOCK eviction: set on traffic, cleared when the evictor passes; a flow with it clear is evicted.</summary>
    internal bool TakeReferencedBit() => Interlocked.Exchange(ref _referenced, 0) != 0;

    /// <summary>A datagram of this flow read by the receiver (the listener, or the left socket before it was connected).</summary>
    internal void Deliver(ReadOnlySpan<byte> datagram)
    {
        if (_ready)
        {
            SendUpstream(datagram);
            return;
        }

        if (Interlocked.Increment(ref _earlyCount) > _settings.Udp.EarlyQueue)
        {
            Interlocked.Decrement(ref _earlyCount);
            Interlocked.Increment(ref _earlyDropped);
            _table.CountEarlyDrop();
            return;
        }

        _early.Enqueue(datagram.ToArray());
        if (_ready)
        {
            // The worker finished set-up while this was queued: flush on its behalf.
            FlushEarly();
        }
    }

    public async Task RunAsync(Worker owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _worker = owner.Index;
        try
        {
            if (IsClosed)
            {
                return;
            }

            // :: Step 1
            _right = CreateRightSocket();
            if (IsClosed)
            {
                // Evicted or stopped while connecting: Close() may have run before _right was set.
                _right.Dispose();
                return;
            }

            // :: Step 2
            _ready = true;
            FlushEarly();

            // :: Step 3
            await Task.WhenAll(PumpUpAsync(owner), PumpDownAsync(owner)).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            _reason.TrySet(CloseReason.FromSocketError(CloseSide.Server, e.SocketErrorCode));
        }
        finally
        {
            // :: Step 4
            Close();
            _table.Remove(this);
        }
    }

    public void Abort(CloseReason reason)
    {
        _reason.TrySet(reason);
        Close();
    }

    public void Reject() => Abort(new CloseReason(CloseSide.Proxy, CloseKind.Shutdown));

    public void LogClosed(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var reason = _reason.Value;
        UdpFlowLog.FlowClosed(logger, Id, Key.Client.ToString(), Target.ToString(), _settings.Listener, _worker,
            _datagramsUp, _bytesUp, _datagramsDown, _bytesDown, _earlyDropped,
            (long)Stopwatch.GetElapsedTime(_started).TotalMilliseconds, reason.IsNone ? "proxy-shutdown" : reason.ToString());
    }

    private Socket CreateRightSocket()
    {
        var right = new Socket(Target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (_settings.UpstreamMark != 0)
            {
                LinuxSocketOptions.SetMark(right, _settings.UpstreamMark);
            }

            if (_settings.Nat == NatMode.None && Key.Client.AddressFamily == Target.AddressFamily)
            {
                LinuxSocketOptions.SetTransparent(right);
                right.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                right.Bind(Key.Client);
            }

            right.ReceiveBufferSize = SocketReceiveBuffer;
            right.Connect(Target);
            return right;
        }
        catch
        {
            right.Dispose();
            throw;
        }
    }

    private void FlushEarly()
    {
        while (_early.TryDequeue(out var datagram))
        {
            Interlocked.Decrement(ref _earlyCount);
            SendUpstream(datagram);
        }
    }

    private void SendUpstream(ReadOnlySpan<byte> datagram)
    {
        var right = _right;
        if (right is null || IsClosed)
        {
            return;
        }

        try
        {
            right.Send(datagram, SocketFlags.None);
            Account(up: true, datagram.Length);
        }
        catch (SocketException e)
        {
            Abort(CloseReason.FromSocketError(CloseSide.Server, e.SocketErrorCode));
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile.
        }
    }

    /// <summary>
    /// Client → server. Reads with recvmsg to check every sender: tproxy may have pinned another client's
    /// datagram to the left socket while it was bound but not yet connected, and the kernel can enqueue it
    /// after the receiver's drain ran (the softirq runs on another CPU). Such a datagram is handed back to the
    /// receiver as if the listener had read it, instead of being sent upstream as this client's.
    /// </summary>
    private async Task PumpUpAsync(Worker owner)
    {
        var right = _right!;
        bool sending = false;
        try
        {
            while (true)
            {
                await _left.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                var buffer = _pool.Rent();
                try
                {
                    while (DatagramReceive.TryReceiveFrom(_left, buffer, _clientAddress, out int n, out bool fromClient, out var stranger))
                    {
                        if (!fromClient)
                        {
                            _redispatch.Redispatch(stranger!, Key.Destination, buffer.AsSpan(0, n).ToArray());
                            continue;
                        }

                        sending = true;
                        right.Send(buffer.AsSpan(0, n), SocketFlags.None);
                        sending = false;
                        Account(up: true, n);
                        owner.AddBytes(n);
                    }
                }
                finally
                {
                    _pool.Return(buffer);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.OperationAborted)
        {
            Abort(CloseReason.FromSocketError(sending ? CloseSide.Server : CloseSide.Client, e.SocketErrorCode));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by the other direction, the idle scan, eviction or shutdown.
        }
    }

    /// <summary>Server → client: the right socket is connected, so only the server's datagrams reach it.</summary>
    private async Task PumpDownAsync(Worker owner)
    {
        var right = _right!;
        bool sending = false;
        try
        {
            while (true)
            {
                await right.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                var buffer = _pool.Rent();
                try
                {
                    int n = await right.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                    sending = true;
                    await _left.SendAsync(buffer.AsMemory(0, n), SocketFlags.None).ConfigureAwait(false);
                    sending = false;
                    Account(up: false, n);
                    owner.AddBytes(n);
                }
                finally
                {
                    _pool.Return(buffer);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode != SocketError.OperationAborted)
        {
            // An ICMP error (port unreachable) arrives as ConnectionRefused on the socket that sent toward it.
            Abort(CloseReason.FromSocketError(sending ? CloseSide.Client : CloseSide.Server, e.SocketErrorCode));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by the other direction, the idle scan, eviction or shutdown.
        }
    }

    private void Account(bool up, int bytes)
    {
        if (up)
        {
            Interlocked.Increment(ref _datagramsUp);
            Interlocked.Add(ref _bytesUp, bytes);
        }
        else
        {
            Interlocked.Increment(ref _datagramsDown);
            Interlocked.Add(ref _bytesDown, bytes);
        }

        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        Volatile.Write(ref _referenced, 1);
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _left.Dispose();
        _right?.Dispose();
        while (_early.TryDequeue(out _))
        {
        }
    }
}
