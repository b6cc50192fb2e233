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
            l => Assert.Equal(("tcp", ListenerMode.Tproxy, ListenerProtocol.Tcp, 50080, TlsListenerMode.Detect), (l.Name, l.Mode, l.Protocol, l.Port, l.Tls)),
            l => Assert.Equal(("tls", ListenerMode.Tproxy, ListenerProtocol.Tcp, 50443, TlsListenerMode.Always), (l.Name, l.Mode, l.Protocol, l.Port, l.Tls)),
            l => Assert.Equal(("redir-tcp", ListenerMode.Redirect, ListenerProtocol.Tcp, 51080, TlsListenerMode.Off), (l.Name, l.Mode, l.Protocol, l.Port, l.Tls)),
            l => Assert.Equal(("udp", ListenerMode.Tproxy, ListenerProtocol.Udp, 50080, TlsListenerMode.Off), (l.Name, l.Mode, l.Protocol, l.Port, l.Tls)),
            l => Assert.Equal(("redir-dns", ListenerMode.Redirect, ListenerProtocol.Udp, 51053, TlsListenerMode.Off), (l.Name, l.Mode, l.Protocol, l.Port, l.Tls)));
        Assert.All(listeners, l =>
        {
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
        Assert.Equal(
            (TimeSpan.FromSeconds(120), 65536, 64),
            (config.Udp.IdleTimeout, config.Udp.MaxFlows, config.Udp.EarlyQueue));
        Assert.Equal(new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5) }, config.Udp.PortIdleTimeouts);
        Assert.Empty(config.Dns.Nameservers);
        Assert.Equal(DnsSelection.RoundRobin, config.Dns.Selection);
        Assert.Equal((0, 1024, 128), (config.Limits.MaxSessions, config.Limits.HandoffQueue, config.Limits.FdReserve));
        Assert.Equal(TimeSpan.FromSeconds(2), config.Shutdown.Drain);
        Assert.Equal(("information", true, "text"), (config.Logging.Level, config.Logging.SessionLog, config.Logging.Format));
        Assert.Equal("/run/bellows/bellows.sock", config.Management.Socket);
        Assert.Equal(("/var/lib/bellows/ca", (string?)null, (string?)null), (config.Tls.CaDirectory, config.Tls.CertificatesDirectory, config.Tls.TrustBundle));
        Assert.Equal(
            (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), 10_000, (string?)null),
            (config.Tls.HelloTimeout, config.Tls.HandshakeTimeout, config.Tls.CacheSize, config.Tls.KeyLog));
    }

    [Fact]
    public void Default_NoFile_HasDocumentedTlsProfile()
    {
        var profile = BellowsConfig.Default.Tls.Profile;

        Assert.Equal(TlsInspectionMode.Inspect, profile.Mode);
        Assert.Equal((false, false, false), (profile.AllowUntrustedIssuers, profile.AllowSelfSigned, profile.AllowInvalidCerts));
        Assert.Equal(TlsFailureAction.Block, profile.OnFailure);
        Assert.Equal(TimeSpan.FromMinutes(10), profile.OverrideDuration);
        Assert.Equal(TlsOverrideScope.ClientServer, profile.OverrideScope);
        Assert.Equal(TlsRevocationMode.SoftFail, profile.Revocation);
        Assert.Empty(profile.BypassSni);
        Assert.Equal(NonTlsAction.Relay, profile.NonTls);
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
        // Same count, one element differs: the comparison must not stop at the list length.
        var changed = BellowsConfig.Default with
        {
            Listeners = [.. BellowsConfig.Default.Listeners.Select((l, i) => i == 3 ? l with { Port = 1 } : l)],
        };

        Assert.Equal(BellowsConfig.Default.Listeners.Count, changed.Listeners.Count);
        Assert.NotEqual(BellowsConfig.Default, changed);
    }

    [Theory]
    [InlineData("relay")]
    [InlineData("udp")]
    [InlineData("dns")]
    [InlineData("tls")]
    [InlineData("tls.profile")]
    [InlineData("limits")]
    [InlineData("shutdown")]
    [InlineData("logging")]
    [InlineData("management")]
    public void Equals_SectionChanged_AreNotEqual(string section)
    {
        var d = BellowsConfig.Default;
        var changed = section switch
        {
            "relay" => d with { Relay = d.Relay with { NoDelay = false } },
            "udp" => d with { Udp = d.Udp with { MaxFlows = 1 } },
            "dns" => d with { Dns = d.Dns with { Selection = DnsSelection.FirstAlive } },
            "tls" => d with { Tls = d.Tls with { CacheSize = 16 } },
            "tls.profile" => d with { Tls = d.Tls with { Profile = d.Tls.Profile with { BypassSni = ["bank.example"] } } },
            "limits" => d with { Limits = d.Limits with { FdReserve = 16 } },
            "shutdown" => d with { Shutdown = d.Shutdown with { Drain = TimeSpan.Zero } },
            "logging" => d with { Logging = d.Logging with { Format = "json" } },
            _ => d with { Management = d.Management with { Socket = "" } },
        };

        Assert.NotEqual(d, changed);
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
