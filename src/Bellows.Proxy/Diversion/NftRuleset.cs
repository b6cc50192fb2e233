// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text;

namespace Bellows.Proxy.Diversion;

/// <summary>
/// The nftables ruleset and policy-routing commands that divert traffic to Bellows (`bellows nft`).
/// </summary>
/// <remarks>
/// Routed traffic: a mangle-priority prerouting rule TPROXYs chosen TCP ports to the TPROXY listener and marks
/// the packets; `ip rule fwmark M lookup T` + `local 0.0.0.0/0 dev lo table T` deliver them to the local stack
/// even though the destination is not ours. Packets of connections that already have a transparent socket
/// (including server replies to a spoofed client address under nat none) are marked the same way, so they reach
/// that socket. Locally originated traffic cannot be TPROXYed: a nat output rule REDIRECTs it instead, skipping
/// Bellows' own upstream connections.
/// </remarks>
public static class NftRuleset
{
    public static string Render(DiversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string mark = "0x" + options.Mark.ToString("x", inv);
        sb.Append(inv, $"table inet {options.TableName} {{\n");
        sb.Append("  chain divert {\n");
        sb.Append("    type filter hook prerouting priority mangle; policy accept;\n");
        string iif = options.InputInterfaces.Count > 0 ? $"iifname {{ {string.Join(", ", options.InputInterfaces.Select(i => $"\"{i}\""))} }} " : "";

        // UDP first, and by tproxy rather than by the socket match: tproxy looks the flow's socket up itself and
        // pins the datagram to what it found. The socket match does not pin: a datagram it matched against a
        // new flow's socket (bound, not yet connected) is looked up again at delivery, after that socket was
        // connected to its own client, finds nothing and is dropped (UdpNoPorts, about 4% of single-query
        // flows when 500 open at once).
        if (options.UdpTproxyPorts.Count > 0)
        {
            sb.Append(inv, $"    {iif}meta l4proto udp udp dport {{ {string.Join(", ", options.UdpTproxyPorts)} }} tproxy to :{options.UdpTproxyListenerPort} meta mark set {mark} accept\n");
        }

        sb.Append(inv, $"    meta l4proto {{ tcp, udp }} socket transparent 1 meta mark set {mark} accept\n");
        if (options.TlsTproxyPorts.Count > 0)
        {
            sb.Append(inv, $"    {iif}meta l4proto tcp tcp dport {{ {string.Join(", ", options.TlsTproxyPorts)} }} tproxy to :{options.TlsTproxyListenerPort} meta mark set {mark} accept\n");
        }

        if (options.TproxyPorts.Count > 0)
        {
            sb.Append(inv, $"    {iif}meta l4proto tcp tcp dport {{ {string.Join(", ", options.TproxyPorts)} }} tproxy to :{options.TproxyListenerPort} meta mark set {mark} accept\n");
        }

        sb.Append("  }\n");
        if (options.RedirectPorts.Count > 0 || options.DnsRedirectListenerPort != 0)
        {
            sb.Append("  chain local_redirect {\n");
            sb.Append("    type nat hook output priority -100; policy accept;\n");
            sb.Append(options.UpstreamMark != 0
                ? $"    meta mark 0x{options.UpstreamMark.ToString("x", inv)} return\n"
                : "    meta skuid 0 return\n");
            if (options.RedirectPorts.Count > 0)
            {
                sb.Append(inv, $"    meta l4proto tcp tcp dport {{ {string.Join(", ", options.RedirectPorts)} }} redirect to :{options.RedirectListenerPort}\n");
            }

            if (options.DnsRedirectListenerPort != 0)
            {
                sb.Append(inv, $"    meta l4proto udp udp dport 53 redirect to :{options.DnsRedirectListenerPort}\n");
            }

            sb.Append("  }\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>`ip` commands (arguments after "ip") that install the policy routing.</summary>
    public static IReadOnlyList<string[]> RoutingCommands(DiversionOptions options, bool add)
    {
        ArgumentNullException.ThrowIfNull(options);
        string verb = add ? "add" : "del";
        string mark = options.Mark.ToString(CultureInfo.InvariantCulture);
        string table = options.RouteTable.ToString(CultureInfo.InvariantCulture);
        return
        [
            ["-4", "rule", verb, "fwmark", mark, "lookup", table],
            ["-4", "route", verb, "local", "0.0.0.0/0", "dev", "lo", "table", table],
            ["-6", "rule", verb, "fwmark", mark, "lookup", table],
            ["-6", "route", verb, "local", "::/0", "dev", "lo", "table", table],
        ];
    }

    /// <summary>Everything as a shell script a network engineer can read and paste.</summary>
    public static string RenderScript(DiversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder();
        sb.Append("# Bellows traffic diversion. Remove with: nft delete table inet ").Append(options.TableName).Append('\n');
        sb.Append("sysctl -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1\n");
        sb.Append("nft -f - <<'NFT'\n").Append(Render(options)).Append("NFT\n");
        foreach (var command in RoutingCommands(options, add: true))
        {
            sb.Append("ip ").Append(string.Join(' ', command)).Append('\n');
        }

        return sb.ToString();
    }
}
