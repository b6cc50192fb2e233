// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Workers;

namespace Bellows.Proxy.Tests.Workers;

public class WorkerSelectorTests
{
    private sealed record FixedLoad(long Load) : ILoadReporter;

    [Fact]
    public void Choose_SingleWorker_ReturnsZero()
    {
        var selector = new WorkerSelector(new Random(1));
        Assert.Equal(0, selector.Choose([new FixedLoad(100)]));
    }

    [Fact]
    public void Choose_TwoWorkers_AlwaysPicksLessLoaded()
    {
        var selector = new WorkerSelector(new Random(7));
        ILoadReporter[] workers = [new FixedLoad(10), new FixedLoad(3)];
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(1, selector.Choose(workers));
        }
    }

    [Fact]
    public void Choose_NeverPicksTheMostLoaded()
    {
        var selector = new WorkerSelector(new Random(3));
        ILoadReporter[] workers = [new FixedLoad(5), new FixedLoad(99), new FixedLoad(4), new FixedLoad(6)];
        for (int i = 0; i < 1000; i++)
        {
            Assert.NotEqual(1, selector.Choose(workers));
        }
    }

    [Fact]
    public void Choose_SimulatedSessions_SpreadsEvenly()
    {
        // Each chosen worker gains a session: power-of-two choices keeps the spread tight.
        var loads = new long[8];
        var reporters = Enumerable.Range(0, 8).Select(i => (ILoadReporter)new Counter(loads, i)).ToArray();
        var selector = new WorkerSelector(new Random(11));
        for (int i = 0; i < 8000; i++)
        {
            loads[selector.Choose(reporters)]++;
        }

        Assert.All(loads, l => Assert.InRange(l, 990, 1010));
    }

    private sealed class Counter(long[] loads, int index) : ILoadReporter
    {
        public long Load => loads[index];
    }
}
