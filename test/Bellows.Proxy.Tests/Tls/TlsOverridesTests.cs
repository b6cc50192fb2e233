// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using Bellows.Config;
using Bellows.Proxy.Tls;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Proxy.Tests.Tls;

public class TlsOverridesTests
{
    private static readonly IPAddress Alice = IPAddress.Parse("198.18.0.2");
    private static readonly IPAddress Bob = IPAddress.Parse("198.18.0.3");

    [Fact]
    public void ClientServerScope_AcceptedTokenCoversThatClientAndServerUntilItExpires()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var overrides = new TlsOverrides(TlsOverrideScope.ClientServer, TimeSpan.FromMinutes(10), clock);
        var token = overrides.Offer(Alice, "expired.lab.test", "ab12", "/page?x=1");
        Assert.False(overrides.IsAccepted(Alice, "expired.lab.test", "ab12"));

        Assert.True(overrides.TryAccept(token, Alice, "expired.lab.test", out var back));
        Assert.Equal("/page?x=1", back);
        Assert.True(overrides.IsAccepted(Alice, "EXPIRED.lab.test", "ab12"));
        Assert.False(overrides.IsAccepted(Bob, "expired.lab.test", "ab12"));
        Assert.False(overrides.IsAccepted(Alice, "other.lab.test", "ab12"));

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(overrides.IsAccepted(Alice, "expired.lab.test", "ab12"));
    }

    [Fact]
    public void CertificateScope_CoversEveryClientForThatFingerprint()
    {
        var overrides = new TlsOverrides(TlsOverrideScope.Certificate, TimeSpan.FromMinutes(10), TimeProvider.System);
        Assert.True(overrides.TryAccept(overrides.Offer(Alice, "a.test", "ff00", "/"), Alice, "a.test", out _));
        Assert.True(overrides.IsAccepted(Bob, "b.test", "ff00"));
        Assert.False(overrides.IsAccepted(Bob, "b.test", "ff01"));
    }

    [Fact]
    public void Token_IsOneTimeAndBoundToItsClientAndServer()
    {
        var overrides = new TlsOverrides(TlsOverrideScope.ClientServer, TimeSpan.FromMinutes(10), TimeProvider.System);
        var token = overrides.Offer(Alice, "a.test", "ff00", "/");
        Assert.False(overrides.TryAccept(token, Bob, "a.test", out _));
        Assert.False(overrides.TryAccept(overrides.Offer(Alice, "a.test", "ff00", "/"), Alice, "b.test", out _));
        Assert.False(overrides.TryAccept("not-a-token", Alice, "a.test", out _));
        var fresh = overrides.Offer(Alice, "a.test", "ff00", "/");
        Assert.True(overrides.TryAccept(fresh, Alice, "a.test", out _));
        Assert.False(overrides.TryAccept(fresh, Alice, "a.test", out _));
    }

    [Fact]
    public void UnacceptedTokens_ExpireAfterTenMinutes()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var overrides = new TlsOverrides(TlsOverrideScope.ClientServer, TimeSpan.FromMinutes(10), clock);
        var token = overrides.Offer(Alice, "a.test", "ff00", "/");
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(overrides.TryAccept(token, Alice, "a.test", out _));
    }
}
