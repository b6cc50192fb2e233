// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class DnsConfigTests
{
    private static readonly DnsConfig s_dns = new() { Nameservers = ["10.0.0.53", "fd00::53"] };

    [Fact]
    public void Equals_SameNameserversInNewList_AreEqual()
    {
        var other = new DnsConfig { Nameservers = new List<string> { "10.0.0.53", "fd00::53" } };

        Assert.Equal(s_dns, other);
        Assert.Equal(s_dns.GetHashCode(), other.GetHashCode());
    }

    [Fact]
    public void Equals_NameserversInOtherOrder_AreNotEqual()
    {
        // Order matters: first-alive tries them in order.
        Assert.NotEqual(s_dns, s_dns with { Nameservers = ["fd00::53", "10.0.0.53"] });
    }

    [Fact]
    public void Equals_SameCountOtherNameserver_AreNotEqual()
    {
        Assert.NotEqual(s_dns, s_dns with { Nameservers = ["10.0.0.53", "fd00::54"] });
    }

    [Fact]
    public void Equals_SelectionChanged_AreNotEqual()
    {
        Assert.NotEqual(s_dns, s_dns with { Selection = DnsSelection.FirstAlive });
    }

    [Fact]
    public void Nameservers_InitFromMutableList_IsCopied()
    {
        var source = new List<string> { "10.0.0.53" };
        var dns = new DnsConfig { Nameservers = source };

        source.Add("10.0.0.54");

        Assert.Equal(["10.0.0.53"], dns.Nameservers);
    }
}
