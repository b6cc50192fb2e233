// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Bellows.Proxy.Sessions;

namespace Bellows.Proxy.Udp;

/// <summary>
/// The flows of one UDP listener, keyed by (client, original destination), with a bounded size and
/// oldest-idle eviction.
/// </summary>
/// <remarks>
/// Eviction uses the CLOCK approximation of least-recently-used: flows join a ring in creation order; traffic
/// sets a flow's "referenced" bit; the evictor walks the ring, giving referenced flows a second chance (clearing
/// the bit) and evicting the first one without it. A flood of spoofed one-datagram flows therefore evicts
/// itself, while flows that exchange traffic survive. O(1) amortised, no global lock.
/// </remarks>
public sealed class UdpFlowTable
{
    private const int MaxEvictionSteps = 256;

    private readonly ConcurrentDictionary<UdpFlowKey, UdpFlow> _flows = new();
    private readonly ConcurrentQueue<UdpFlow> _clock = new();
    private int _reserved;
    private long _created;
    private long _evicted;
    private long _droppedNoRoom;
    private long _droppedEarly;
    private long _droppedNoDestination;
    private long _redispatched;

    public UdpFlowTable(int maxFlows) => MaxFlows = maxFlows;

    public int MaxFlows { get; }

    public int Count => _flows.Count;

    public bool TryGet(UdpFlowKey key, [MaybeNullWhen(false)] out UdpFlow flow) => _flows.TryGetValue(key, out flow);

    /// <summary>Takes one of the <see cref="MaxFlows"/> places; a hard bound even with several receivers adding at once.</summary>
    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _reserved) <= MaxFlows)
        {
            return true;
        }

        Interlocked.Decrement(ref _reserved);
        return false;
    }

    /// <summary>Gives back a place taken by <see cref="TryReserve"/> that no flow was added for.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _reserved);

    /// <summary>Adds a flow into a reserved place; false (place still reserved) when the key is taken.</summary>
    public bool TryAdd(UdpFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (!_flows.TryAdd(flow.Key, flow))
        {
            return false;
        }

        Interlocked.Increment(ref _created);
        _clock.Enqueue(flow);
        CompactClock();
        return true;
    }

    public void Remove(UdpFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (_flows.TryRemove(new KeyValuePair<UdpFlowKey, UdpFlow>(flow.Key, flow)))
        {
            Interlocked.Decrement(ref _reserved);
        }
    }

    /// <summary>Ends the oldest idle flow to make room; false when none could be found.</summary>
    public bool EvictOne()
    {
        for (int step = 0; step < MaxEvictionSteps && _clock.TryDequeue(out var flow); step++)
        {
            if (flow.IsClosed)
            {
                continue;
            }

            if (flow.TakeReferencedBit())
            {
                _clock.Enqueue(flow);
                continue;
            }

            flow.Abort(new CloseReason(CloseSide.Proxy, CloseKind.Evicted));
            Remove(flow);
            Interlocked.Increment(ref _evicted);
            return true;
        }

        return false;
    }

    internal void CountNoRoom() => Interlocked.Increment(ref _droppedNoRoom);

    internal void CountEarlyDrop() => Interlocked.Increment(ref _droppedEarly);

    internal void CountNoDestination() => Interlocked.Increment(ref _droppedNoDestination);

    internal void CountRedispatched() => Interlocked.Increment(ref _redispatched);

    public void AbortAll(CloseReason reason)
    {
        foreach (var flow in _flows.Values)
        {
            flow.Abort(reason);
        }
    }

    public UdpFlowStatistics GetStatistics() => new(_flows.Count, Volatile.Read(ref _created), Volatile.Read(ref _evicted),
        Volatile.Read(ref _droppedNoRoom), Volatile.Read(ref _droppedEarly), Volatile.Read(ref _droppedNoDestination),
        Volatile.Read(ref _redispatched));

    /// <summary>Ended flows stay in the ring until the evictor passes; rebuild it when they dominate, so it cannot grow without bound.</summary>
    private void CompactClock()
    {
        if (_clock.Count <= (2 * _flows.Count) + 1024)
        {
            return;
        }

        int n = _clock.Count;
        for (int i = 0; i < n && _clock.TryDequeue(out var flow); i++)
        {
            if (!flow.IsClosed)
            {
                _clock.Enqueue(flow);
            }
        }
    }
}
