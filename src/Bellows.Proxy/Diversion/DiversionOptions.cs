// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Diversion;

/// <summary>What to divert to Bellows on a gateway, and how.</summary>
public sealed record DiversionOptions
{
    /// <summary>Destination ports of routed traffic sent to the TPROXY listener ("80", "7000-7999").</summary>
    public IReadOnlyList<string> TproxyPorts { get; init; } = ["80"];

    /// <summary>Destination ports of routed UDP sent to the UDP TPROXY listener ("53", "443").</summary>
    public IReadOnlyList<string> UdpTproxyPorts { get; init; } = [];

    public int UdpTproxyListenerPort { get; init; } = 50080;

    /// <summary>Locally originated DNS (udp/53) goes to the DNS REDIRECT listener when this is not 0 (Smithproxy: 51053).</summary>
    public int DnsRedirectListenerPort { get; init; }

    /// <summary>Destination ports of locally originated traffic sent to the REDIRECT listener.</summary>
    public IReadOnlyList<string> RedirectPorts { get; init; } = [];

    public int TproxyListenerPort { get; init; } = 50080;

    /// <summary>Destination ports of routed TCP sent to the TLS listener ("443", "8443"); empty: none.</summary>
    public IReadOnlyList<string> TlsTproxyPorts { get; init; } = [];

    public int TlsTproxyListenerPort { get; init; } = 50443;

    public int RedirectListenerPort { get; init; } = 51080;

    /// <summary>Only traffic arriving on these interfaces is diverted (empty: any interface).</summary>
    public IReadOnlyList<string> InputInterfaces { get; init; } = [];

    /// <summary>fwmark that routes diverted packets to the local stack (Smithproxy uses 1).</summary>
    public int Mark { get; init; } = 1;

    /// <summary>Routing table holding the "local 0/0 dev lo" route (Smithproxy uses 100).</summary>
    public int RouteTable { get; init; } = 100;

    /// <summary>SO_MARK on Bellows' upstream sockets; REDIRECT skips it so Bellows does not catch itself (0: skip root's traffic instead).</summary>
    public int UpstreamMark { get; init; }

    /// <summary>nftables table name: everything Bellows installs lives in it, so removal is one command.</summary>
    public string TableName { get; init; } = "bellows";
}
