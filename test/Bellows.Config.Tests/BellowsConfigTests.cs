// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class BellowsConfigTests
{
    [Fact]
    public void Default_NoFile_HasSmithproxyListeners()
    {
        var listeners = BellowsConfig.Default.Listeners;

        Assert.Collection(
            listeners,
            l => Assert.Equal(("tcp", ListenerMode.Tproxy, 50080), (l.Name, l.Mode, l.Port)),
            l => Assert.Equal(("redir-tcp", ListenerMode.Redirect, 51080), (l.Name, l.Mode, l.Port)));
        Assert.All(listeners, l =>
        {
            Assert.Equal(ListenerProtocol.Tcp, l.Protocol);
            Assert.Equal(["0.0.0.0", "::"], l.Addresses);
            Assert.Equal((0, 0, AcceptorMode.ReusePort, 4096, true, (NatMode?)null), (l.Acceptors, l.Workers, l.AcceptorMode, l.Backlog, l.Enabled, l.Nat));
        });
    }

    [Fact]
    public void Default_NoFile_HasDocumentedSectionDefaults()
    {
        var config = BellowsConfig.Default;

        Assert.Equal(NatMode.Auto, config.Relay.Nat);
        Assert.Equal(TimeSpan.FromSeconds(7), config.Relay.ConnectTimeout);
        Assert.Equal(TimeSpan.FromHours(1), config.Relay.IdleTimeout);
        Assert.Equal(65536, config.Relay.BufferSize);
        Assert.Equal(0, config.Relay.UpstreamMark);
        Assert.True(config.Relay.NoDelay);
        Assert.Equal((0, 1024, 128), (config.Limits.MaxSessions, config.Limits.HandoffQueue, config.Limits.FdReserve));
        Assert.Equal(TimeSpan.FromSeconds(2), config.Shutdown.Drain);
        Assert.Equal(("information", true, "text"), (config.Logging.Level, config.Logging.SessionLog, config.Logging.Format));
        Assert.Equal("/run/bellows/bellows.sock", config.Management.Socket);
    }

    [Fact]
    public void Equals_NewInstanceWithDefaults_EqualsDefault()
    {
        Assert.Equal(BellowsConfig.Default, new BellowsConfig());
        Assert.Equal(BellowsConfig.Default.GetHashCode(), new BellowsConfig().GetHashCode());
    }

    [Fact]
    public void Equals_SameListenersInNewLists_AreEqual()
    {
        var a = BellowsConfig.Default with { Listeners = [.. BellowsConfig.Default.Listeners] };
        var b = BellowsConfig.Default with { Listeners = BellowsConfig.Default.Listeners.Select(l => l with { }).ToList() };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_OneListenerChanged_AreNotEqual()
    {
        var changed = BellowsConfig.Default with
        {
            Listeners = [BellowsConfig.Default.Listeners[0], BellowsConfig.Default.Listeners[1] with { Port = 1 }],
        };

        Assert.NotEqual(BellowsConfig.Default, changed);
    }

    [Fact]
    public void Equals_SectionChanged_AreNotEqual()
    {
        var changed = BellowsConfig.Default with { Relay = BellowsConfig.Default.Relay with { NoDelay = false } };

        Assert.NotEqual(BellowsConfig.Default, changed);
    }

    [Fact]
    public void Listeners_InitFromMutableList_IsCopied()
    {
        var source = new List<ListenerConfig> { BellowsConfig.Default.Listeners[0] };
        var config = new BellowsConfig { Listeners = source };

        source.Clear();

        Assert.Single(config.Listeners);
    }
}
