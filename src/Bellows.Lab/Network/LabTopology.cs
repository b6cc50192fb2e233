// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;

namespace Bellows.Lab.Network;

/// <summary>
/// Names and addresses of a lab: three namespaces in a line, all addresses from the benchmarking ranges
/// (198.18.0.0/15, 2001:2::/48), so nothing here can collide with a real network.
/// <code>
///  [prefix-cli] eth0 ──── gwc [prefix-gw] gws ──── eth0 [prefix-srv]
///   198.18.0.2     198.18.0.1      198.18.1.1       198.18.1.2
///   2001:2:0:1::2  2001:2:0:1::1   2001:2:0:2::1    2001:2:0:2::2
/// </code>
/// </summary>
public sealed record LabTopology(string Prefix)
{
    public static readonly IPAddress ClientV4 = IPAddress.Parse("198.18.0.2");
    public static readonly IPAddress GatewayClientSideV4 = IPAddress.Parse("198.18.0.1");
    public static readonly IPAddress GatewayServerSideV4 = IPAddress.Parse("198.18.1.1");
    public static readonly IPAddress ServerV4 = IPAddress.Parse("198.18.1.2");
    public static readonly IPAddress ClientV6 = IPAddress.Parse("2001:2:0:1::2");
    public static readonly IPAddress GatewayClientSideV6 = IPAddress.Parse("2001:2:0:1::1");
    public static readonly IPAddress GatewayServerSideV6 = IPAddress.Parse("2001:2:0:2::1");
    public static readonly IPAddress ServerV6 = IPAddress.Parse("2001:2:0:2::2");

    public const string GatewayClientInterface = "gwc";
    public const string GatewayServerInterface = "gws";

    public NetworkNamespace Client => new(Prefix + "-cli");

    public NetworkNamespace Gateway => new(Prefix + "-gw");

    public NetworkNamespace Server => new(Prefix + "-srv");

    public IEnumerable<NetworkNamespace> All => [Client, Gateway, Server];

    /// <summary>Management socket of the Bellows instance of this lab.</summary>
    public string ManagementSocket => $"/run/bellows/{Prefix}.sock";

    /// <summary>Validates a prefix: interface names derived from it must fit in 15 characters.</summary>
    public static bool IsValidPrefix(string prefix) =>
        prefix.Length is > 0 and <= 8 && prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
