// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Diversion;

namespace Bellows.Proxy.Tests.Diversion;

public class NftRulesetTests
{
    [Fact]
    public void Render_Tproxy_DivertsPortsAndMarksTransparentSockets()
    {
        string rules = NftRuleset.Render(new DiversionOptions { TproxyPorts = ["80", "7000-7099"], InputInterfaces = ["eth1"] });
        Assert.Contains("table inet bellows {", rules, StringComparison.Ordinal);
        Assert.Contains("type filter hook prerouting priority mangle;", rules, StringComparison.Ordinal);
        Assert.Contains("meta l4proto { tcp, udp } socket transparent 1 meta mark set 0x1 accept", rules, StringComparison.Ordinal);
        Assert.Contains("iifname { \"eth1\" } meta l4proto tcp tcp dport { 80, 7000-7099 } tproxy to :50080 meta mark set 0x1 accept", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("redirect", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TlsPorts_GoToTheTlsListener()
    {
        string rules = NftRuleset.Render(new DiversionOptions { TproxyPorts = ["80"], TlsTproxyPorts = ["443", "8443"], TlsTproxyListenerPort = 50443, InputInterfaces = ["eth1"] });
        Assert.Contains("iifname { \"eth1\" } meta l4proto tcp tcp dport { 443, 8443 } tproxy to :50443 meta mark set 0x1 accept", rules, StringComparison.Ordinal);
        Assert.Contains("tcp dport { 80 } tproxy to :50080", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("50443", NftRuleset.Render(new DiversionOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Redirect_SkipsBellowsOwnMarkedTraffic()
    {
        string rules = NftRuleset.Render(new DiversionOptions { RedirectPorts = ["8080"], UpstreamMark = 0x2b, RedirectListenerPort = 51080 });
        Assert.Contains("type nat hook output priority -100;", rules, StringComparison.Ordinal);
        Assert.Contains("meta mark 0x2b return", rules, StringComparison.Ordinal);
        Assert.Contains("tcp dport { 8080 } redirect to :51080", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Udp_DivertsUdpPortsAndRedirectsLocalDns()
    {
        string rules = NftRuleset.Render(new DiversionOptions { TproxyPorts = [], UdpTproxyPorts = ["53", "443"], DnsRedirectListenerPort = 51053, UpstreamMark = 7 });
        Assert.Contains("meta l4proto udp udp dport { 53, 443 } tproxy to :50080 meta mark set 0x1 accept", rules, StringComparison.Ordinal);
        Assert.Contains("meta l4proto udp udp dport 53 redirect to :51053", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("tcp dport", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Udp_TproxyComesBeforeTheSocketMatch()
    {
        // The socket match does not pin a datagram to the socket it matched; tproxy does (see NftRuleset).
        string rules = NftRuleset.Render(new DiversionOptions { UdpTproxyPorts = ["53"] });
        int tproxy = rules.IndexOf("udp dport { 53 } tproxy", StringComparison.Ordinal);
        int socketMatch = rules.IndexOf("socket transparent 1", StringComparison.Ordinal);
        Assert.True(tproxy >= 0 && socketMatch > tproxy, rules);
    }

    [Fact]
    public void Render_RedirectWithoutMark_SkipsRootTraffic()
    {
        string rules = NftRuleset.Render(new DiversionOptions { RedirectPorts = ["8080"] });
        Assert.Contains("meta skuid 0 return", rules, StringComparison.Ordinal);
    }

    [Fact]
    public void RoutingCommands_AddAndDelete_CoverBothFamilies()
    {
        var add = NftRuleset.RoutingCommands(new DiversionOptions { Mark = 1, RouteTable = 100 }, add: true);
        Assert.Contains(add, c => string.Join(' ', c) == "-4 rule add fwmark 1 lookup 100");
        Assert.Contains(add, c => string.Join(' ', c) == "-6 route add local ::/0 dev lo table 100");
        var del = NftRuleset.RoutingCommands(new DiversionOptions(), add: false);
        Assert.All(del, c => Assert.Equal("del", c[2]));
    }
}
