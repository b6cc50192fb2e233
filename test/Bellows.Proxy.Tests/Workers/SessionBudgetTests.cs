// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Workers;

namespace Bellows.Proxy.Tests.Workers;

public class SessionBudgetTests
{
    [Theory]
    [InlineData(0, 20000, 128, 9936)]      // derived from the fd limit: 2 fds per session
    [InlineData(5000, 20000, 128, 5000)]   // configured below the fd budget
    [InlineData(65536, 20000, 128, 9936)]  // configured above it: the fd budget wins
    [InlineData(0, 1024, 128, 448)]
    public void FromLimits_RespectsFdBudget(long configured, long fds, int reserve, long expected) =>
        Assert.Equal(expected, SessionBudget.FromLimits(configured, fds, reserve));

    [Fact]
    public void TryAcquire_BeyondMax_RejectsAndCounts()
    {
        var budget = new SessionBudget(2);
        Assert.True(budget.TryAcquire());
        Assert.True(budget.TryAcquire());
        Assert.False(budget.TryAcquire());
        Assert.Equal(2, budget.Live);
        Assert.Equal(1, budget.Rejected);
        budget.Release();
        Assert.True(budget.TryAcquire());
    }
}
