// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Tls;

namespace Bellows.Proxy.Tests.Tls;

public class SniBypassListTests
{
    [Theory]
    [InlineData("bank.example", true)]
    [InlineData("www.bank.example", true)]
    [InlineData("a.b.bank.example", true)]
    [InlineData("WWW.Bank.Example.", true)]
    [InlineData("mybank.example", false)]
    [InlineData("bank.example.evil", false)]
    [InlineData("wild.test", false)]
    [InlineData("x.wild.test", true)]
    [InlineData(null, false)]
    public void Matches_OnLabelBoundaries(string? name, bool expected)
    {
        var list = new SniBypassList(["bank.example", "*.wild.test"]);
        Assert.Equal(expected, list.Matches(name));
    }

    [Fact]
    public void Empty_MatchesNothing() => Assert.False(new SniBypassList([]).Matches("anything.example"));
}
