// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;

namespace Bellows.Lab;

/// <summary>How to build a lab: names, what Bellows runs with, which ports are diverted and served.</summary>
public sealed record LabOptions
{
    public string Prefix { get; init; } = "blw";

    public NatMode Nat { get; init; } = NatMode.Auto;

    public int Acceptors { get; init; } = 2;

    public int Workers { get; init; } = 2;

    public AcceptorMode AcceptorMode { get; init; } = AcceptorMode.ReusePort;

    /// <summary>Ports the gateway TPROXYs from the client side to Bellows.</summary>
    public IReadOnlyList<string> TproxyPorts { get; init; } = ["53", "80", "5201", "7000-7099", "7777"];

    /// <summary>UDP ports the gateway TPROXYs from the client side to Bellows.</summary>
    public IReadOnlyList<string> UdpTproxyPorts { get; init; } = ["53", "4433", "7000-7099"];

    /// <summary>UDP echo (and, one port up, "whoami") servers in the server namespace.</summary>
    public int UdpEchoPort { get; init; } = 7007;

    /// <summary>Start dnsmasq in the server namespace as the lab's DNS server (A, AAAA, a long TXT).</summary>
    public bool StartDns { get; init; } = true;

    /// <summary>Ports the gateway's own processes reach through Bellows' REDIRECT listener.</summary>
    public IReadOnlyList<string> RedirectPorts { get; init; } = ["7100-7199"];

    public int[] HttpPorts { get; init; } = [80, 7777, 7180, 8081];

    public int EchoPort { get; init; } = 7007;

    public int HalfClosePort { get; init; } = 7009;

    /// <summary>Mark on Bellows' upstream sockets, so the REDIRECT rule skips them.</summary>
    public int UpstreamMark { get; init; } = 0x2b;

    public double DrainSeconds { get; init; } = 2;

    public bool SessionLog { get; init; } = true;

    /// <summary>Start the built-in HTTP, echo and half-close servers in the server namespace.</summary>
    public bool StartServers { get; init; } = true;

    public int MaxSessions { get; init; }
}
