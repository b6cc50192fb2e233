// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Transport.Buffers;

namespace Bellows.Transport.Tests.Buffers;

public class PinnedBufferPoolTests
{
    [Fact]
    public void Rent_FirstTime_MissesAndCountsOutstanding()
    {
        var pool = new PinnedBufferPool(4096, maxRetained: 4);
        var a = pool.Rent();
        var b = pool.Rent();
        var s = pool.GetStatistics();
        Assert.Equal(4096, a.Length);
        Assert.Equal(2, s.Rented);
        Assert.Equal(2, s.Outstanding);
        Assert.Equal(2, s.Misses);
        Assert.Equal(2, s.PeakOutstanding);
        pool.Return(a);
        pool.Return(b);
        s = pool.GetStatistics();
        Assert.Equal(0, s.Outstanding);
        Assert.Equal(2, s.Retained);
    }

    [Fact]
    public void Rent_AfterReturn_ReusesBufferWithoutMiss()
    {
        var pool = new PinnedBufferPool(4096, maxRetained: 4);
        var a = pool.Rent();
        pool.Return(a);
        var b = pool.Rent();
        Assert.Same(a, b);
        Assert.Equal(1, pool.GetStatistics().Misses);
    }

    [Fact]
    public void Return_BeyondMaxRetained_DiscardsAndKeepsAccounting()
    {
        var pool = new PinnedBufferPool(1024, maxRetained: 2);
        var buffers = Enumerable.Range(0, 5).Select(_ => pool.Rent()).ToList();
        buffers.ForEach(pool.Return);
        var s = pool.GetStatistics();
        Assert.Equal(0, s.Outstanding);
        Assert.Equal(2, s.Retained);
        Assert.Equal(3, s.Discarded);
        Assert.Equal(5, s.PeakOutstanding);
    }

    [Fact]
    public void Return_ForeignBuffer_Throws()
    {
        var pool = new PinnedBufferPool(1024, maxRetained: 2);
        Assert.Throws<ArgumentException>(() => pool.Return(new byte[100]));
        Assert.Equal(0, pool.GetStatistics().Returned);
    }

    [Fact]
    public void Trim_BuffersUnusedSinceLastTrim_AreDropped()
    {
        var pool = new PinnedBufferPool(1024, maxRetained: 8);
        var buffers = Enumerable.Range(0, 6).Select(_ => pool.Rent()).ToList();
        buffers.ForEach(pool.Return);
        pool.Trim(); // the burst above missed the pool: nothing is known to be unused yet
        Assert.Equal(6, pool.GetStatistics().Retained);

        // One buffer in use between trims: the free list never went below 5, so 5 are idle.
        var one = pool.Rent();
        pool.Return(one);
        Assert.Equal(5, pool.Trim());
        Assert.Equal(1, pool.GetStatistics().Retained);
    }

    [Fact]
    public async Task RentReturn_Concurrent_OutstandingReturnsToZero()
    {
        var pool = new PinnedBufferPool(512, maxRetained: 16);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                var b = pool.Rent();
                b[0] = 1;
                pool.Return(b);
            }
        })));
        var s = pool.GetStatistics();
        Assert.Equal(160_000, s.Rented);
        Assert.Equal(0, s.Outstanding);
        Assert.InRange(s.PeakOutstanding, 1, 8);
        Assert.InRange(s.Retained, 1, 16);
    }
}
