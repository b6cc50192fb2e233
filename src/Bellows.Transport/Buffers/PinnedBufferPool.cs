// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;

namespace Bellows.Transport.Buffers;

/// <summary>
/// Fixed-size relay buffers on the pinned object heap, kept on a bounded free list.
/// </summary>
/// <remarks>
/// Pinned because every buffer is handed to the kernel by async socket calls; allocating on the POH avoids
/// pinning handles and heap fragmentation (as Kestrel's PinnedBlockMemoryPool does). The free list is bounded
/// so that a burst does not keep its peak memory forever, and <see cref="Trim"/> returns what an idle period
/// did not need. Relay code rents only after the socket is readable, so idle sessions hold nothing.
/// Smithproxy once leaked its small-chunk pool (chunks returned to the wrong free list); the accounting here
/// exists so that tests can prove <see cref="BufferPoolStatistics.Outstanding"/> goes back to zero.
/// </remarks>
public sealed class PinnedBufferPool
{
    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly int _maxRetained;
    private int _retained;
    private long _rented;
    private long _returned;
    private long _peak;
    private long _misses;
    private long _discarded;
    private long _lowWater = long.MaxValue;

    public PinnedBufferPool(int bufferSize, int maxRetained)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 16);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetained);
        BufferSize = bufferSize;
        _maxRetained = maxRetained;
    }

    public int BufferSize { get; }

    public byte[] Rent()
    {
        long outstanding = Interlocked.Increment(ref _rented) - Volatile.Read(ref _returned);
        UpdatePeak(outstanding);
        if (_free.TryDequeue(out var buffer))
        {
            int left = Interlocked.Decrement(ref _retained);
            if (left < Volatile.Read(ref _lowWater))
            {
                Volatile.Write(ref _lowWater, left);
            }

            return buffer;
        }

        Interlocked.Increment(ref _misses);
        Volatile.Write(ref _lowWater, 0);
        return GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    }

    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length != BufferSize)
        {
            ThrowForeignBuffer();
        }

        Interlocked.Increment(ref _returned);
        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(buffer);
            return;
        }

        Interlocked.Decrement(ref _retained);
        Interlocked.Increment(ref _discarded);
    }

    /// <summary>
    /// Drops free buffers that were never needed since the previous trim (the low-water mark of the free list),
    /// so that memory taken by a burst goes back to the GC once traffic calms down.
    /// </summary>
    public int Trim()
    {
        long unused = Interlocked.Exchange(ref _lowWater, long.MaxValue);
        if (unused == long.MaxValue)
        {
            unused = Volatile.Read(ref _retained);
        }

        int dropped = 0;
        for (long i = 0; i < unused && _free.TryDequeue(out _); i++)
        {
            Interlocked.Decrement(ref _retained);
            Interlocked.Increment(ref _discarded);
            dropped++;
        }

        return dropped;
    }

    public BufferPoolStatistics GetStatistics()
    {
        long returned = Volatile.Read(ref _returned);
        long rented = Volatile.Read(ref _rented);
        return new BufferPoolStatistics(BufferSize, rented, returned, rented - returned, Volatile.Read(ref _peak),
            Volatile.Read(ref _misses), Volatile.Read(ref _retained), Volatile.Read(ref _discarded));
    }

    private void UpdatePeak(long outstanding)
    {
        long peak = Volatile.Read(ref _peak);
        while (outstanding > peak)
        {
            long seen = Interlocked.CompareExchange(ref _peak, outstanding, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    private static void ThrowForeignBuffer() =>
        throw new ArgumentException("The buffer does not belong to this pool (wrong size).", "buffer");
}
