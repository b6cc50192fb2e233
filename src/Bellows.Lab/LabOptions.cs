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

    /// <summary>
    /// TLS inspection: Bellows gets a TLS listener (port <see cref="TlsListenerPort"/>, <c>"tls": "always"</c>) that
    /// the gateway diverts <see cref="TlsPorts"/> to, <c>"tls": "detect"</c> on the plain TCP listener, and a
    /// <c>tls</c> section trusting the lab's origin CA upstream. Off: the configuration has no TLS key at all.
    /// The TLS origin itself runs either way (with <see cref="StartServers"/>).
    /// </summary>
    /// <remarks>
    /// Off by default: `bellows lab` and the TLS test labs turn it on; the plain TCP/UDP tests and the benchmarks
    /// keep measuring plain relaying (detect on the TCP listener changes it, and the TLS rule would take port 443
    /// from the benchmark's own diversion).
    /// </remarks>
    public bool Tls { get; init; }

    /// <summary>Ports the gateway TPROXYs from the client side to the TLS listener: the origin (443) and the plain-text service (8443).</summary>
    public IReadOnlyList<string> TlsPorts { get; init; } = ["443", "8443"];

    public int TlsListenerPort { get; init; } = 50443;

    /// <summary>The <c>tls.profile</c> Bellows runs with; a fixture says, e.g., <c>new() { AllowSelfSigned = true, OnFailure = TlsFailureAction.Warn }</c>.</summary>
    public TlsProfileConfig TlsProfile { get; init; } = new();

    /// <summary>
    /// More members of the <c>tls</c> section as JSON text, for settings without a property here
    /// (<c>"\"hello_timeout\": 2, \"cache_size\": 64"</c>); null for none.
    /// </summary>
    public string? TlsSettingsJson { get; init; }

    /// <summary>
    /// Upstream trust: the system's roots plus the origin CA (<c>extra_trust</c>, as a gateway with an internal CA
    /// runs) instead of the origin CA alone (<c>trust_bundle</c>). Every lab name chains to the origin CA or to
    /// nothing, so the verdicts are the same either way; only the size of the store differs.
    /// </summary>
    public bool TrustSystemRoots { get; init; }

    /// <summary>The lab's directory: configuration, Bellows' CA (<c>ca/</c>), the origin's PKI, dnsmasq's files.</summary>
    public string WorkDirectory => Path.Combine(Path.GetTempPath(), "bellows-lab-" + Prefix);

    /// <summary>Bellows' CA certificate, once Bellows has started (it creates the CA when missing).</summary>
    public string BellowsCaPath => Path.Combine(WorkDirectory, "ca", "ca-cert.pem");
}
