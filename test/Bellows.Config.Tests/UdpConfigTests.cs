// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class UdpConfigTests
{
    private static readonly UdpConfig s_udp = new();

    [Theory]
    [InlineData(53, 5)]
    [InlineData(443, 120)]
    [InlineData(54, 120)]
    [InlineData(0, 120)]
    public void IdleTimeoutFor_DefaultConfig_UsesThePortOverrideOrTheGeneralTimeout(int port, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), s_udp.IdleTimeoutFor(port));
    }

    [Fact]
    public void IdleTimeoutFor_CustomMap_UsesItsEntriesEvenWhenLongerThanTheGeneralTimeout()
    {
        var udp = new UdpConfig
        {
            IdleTimeout = TimeSpan.FromSeconds(30),
            PortIdleTimeouts = new Dictionary<int, TimeSpan> { [500] = TimeSpan.FromHours(1), [123] = TimeSpan.FromSeconds(1) },
        };

        Assert.Equal(TimeSpan.FromHours(1), udp.IdleTimeoutFor(500));
        Assert.Equal(TimeSpan.FromSeconds(1), udp.IdleTimeoutFor(123));
        Assert.Equal(TimeSpan.FromSeconds(30), udp.IdleTimeoutFor(53));
    }

    [Fact]
    public void Equals_SameTimeoutsInNewMapInOtherOrder_AreEqual()
    {
        var a = s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5), [123] = TimeSpan.FromSeconds(1) } };
        var b = s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [123] = TimeSpan.FromSeconds(1), [53] = TimeSpan.FromSeconds(5) } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(s_udp, new UdpConfig { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5) } });
    }

    [Theory]
    [InlineData(nameof(UdpConfig.IdleTimeout))]
    [InlineData(nameof(UdpConfig.PortIdleTimeouts) + ".value")]
    [InlineData(nameof(UdpConfig.PortIdleTimeouts) + ".key")]
    [InlineData(nameof(UdpConfig.PortIdleTimeouts) + ".added")]
    [InlineData(nameof(UdpConfig.PortIdleTimeouts) + ".empty")]
    [InlineData(nameof(UdpConfig.MaxFlows))]
    [InlineData(nameof(UdpConfig.EarlyQueue))]
    public void Equals_OnePropertyChanged_AreNotEqual(string change)
    {
        var five = TimeSpan.FromSeconds(5);
        var changed = change switch
        {
            nameof(UdpConfig.IdleTimeout) => s_udp with { IdleTimeout = TimeSpan.FromSeconds(121) },
            "PortIdleTimeouts.value" => s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(6) } },
            "PortIdleTimeouts.key" => s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [54] = five } },
            "PortIdleTimeouts.added" => s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan> { [53] = five, [54] = five } },
            "PortIdleTimeouts.empty" => s_udp with { PortIdleTimeouts = new Dictionary<int, TimeSpan>() },
            nameof(UdpConfig.MaxFlows) => s_udp with { MaxFlows = 1 },
            _ => s_udp with { EarlyQueue = 1 },
        };

        Assert.NotEqual(s_udp, changed);
        Assert.NotEqual(changed, s_udp);
    }

    [Fact]
    public void PortIdleTimeouts_InitFromMutableMap_IsCopied()
    {
        var source = new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5) };
        var udp = new UdpConfig { PortIdleTimeouts = source };

        source[53] = TimeSpan.FromSeconds(99);
        source[123] = TimeSpan.FromSeconds(1);

        Assert.Equal(s_udp, udp);
        Assert.Equal(TimeSpan.FromSeconds(5), udp.IdleTimeoutFor(53));
    }

    [Fact]
    public void PortIdleTimeouts_Default_CannotBeChangedThroughACast()
    {
        var map = Assert.IsAssignableFrom<IDictionary<int, TimeSpan>>(BellowsConfig.Default.Udp.PortIdleTimeouts);

        Assert.Throws<NotSupportedException>(() => map[53] = TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(5), BellowsConfig.Default.Udp.IdleTimeoutFor(53));
    }
}
