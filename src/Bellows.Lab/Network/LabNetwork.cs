// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab.Processes;
using Bellows.Proxy.Diversion;

namespace Bellows.Lab.Network;

/// <summary>Builds and tears down the lab's namespaces, links, routes and diversion rules.</summary>
public static class LabNetwork
{
    /// <summary>Creates the three namespaces and links them; removes a stale lab of the same prefix first.</summary>
    public static async Task UpAsync(LabTopology topology, DiversionOptions diversion)
    {
        ArgumentNullException.ThrowIfNull(topology);
        if (!IsRoot())
        {
            throw new LabException("the lab needs root (network namespaces, nftables)");
        }

        await DownAsync(topology).ConfigureAwait(false);
        string p = topology.Prefix;
        foreach (var ns in topology.All)
        {
            await IpAsync("netns", "add", ns.Name).ConfigureAwait(false);
            await ns.RunAsync("ip", "link", "set", "lo", "up").ConfigureAwait(false);
        }

        // veth pairs are created in the root namespace under unique names, then moved and renamed.
        await LinkAsync($"{p}c0", $"{p}c1", topology.Client, "eth0", topology.Gateway, LabTopology.GatewayClientInterface).ConfigureAwait(false);
        await LinkAsync($"{p}s0", $"{p}s1", topology.Server, "eth0", topology.Gateway, LabTopology.GatewayServerInterface).ConfigureAwait(false);

        await AddressAsync(topology.Client, "eth0", LabTopology.ClientV4 + "/24", LabTopology.ClientV6 + "/64").ConfigureAwait(false);
        await AddressAsync(topology.Gateway, LabTopology.GatewayClientInterface, LabTopology.GatewayClientSideV4 + "/24", LabTopology.GatewayClientSideV6 + "/64").ConfigureAwait(false);
        await AddressAsync(topology.Gateway, LabTopology.GatewayServerInterface, LabTopology.GatewayServerSideV4 + "/24", LabTopology.GatewayServerSideV6 + "/64").ConfigureAwait(false);
        await AddressAsync(topology.Server, "eth0", LabTopology.ServerV4 + "/24", LabTopology.ServerV6 + "/64").ConfigureAwait(false);

        await OkAsync(topology.Client.RunAsync("ip", "route", "add", "default", "via", LabTopology.GatewayClientSideV4.ToString())).ConfigureAwait(false);
        await OkAsync(topology.Client.RunAsync("ip", "-6", "route", "add", "default", "via", LabTopology.GatewayClientSideV6.ToString())).ConfigureAwait(false);
        await OkAsync(topology.Server.RunAsync("ip", "route", "add", "default", "via", LabTopology.GatewayServerSideV4.ToString())).ConfigureAwait(false);
        await OkAsync(topology.Server.RunAsync("ip", "-6", "route", "add", "default", "via", LabTopology.GatewayServerSideV6.ToString())).ConfigureAwait(false);

        await OkAsync(topology.Gateway.RunAsync("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1",
            "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")).ConfigureAwait(false);
        foreach (var ns in topology.All)
        {
            // Room for the 9,000-connection scale tests and benchmarks.
            // Listener ports (50000-51999) are reserved: an upstream connection's TIME_WAIT on 50080 must not
            // block the next Bellows from binding it.
            await ns.RunAsync("sysctl", "-qw", "net.core.somaxconn=8192", "net.ipv4.tcp_max_syn_backlog=8192",
                "net.ipv4.ip_local_port_range=10000 65000", "net.ipv4.ip_local_reserved_ports=50000-51999").ConfigureAwait(false);
        }

        await ApplyDiversionAsync(topology, diversion).ConfigureAwait(false);

        // `ip netns exec` mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf: every namespace resolves the lab's
        // names (www.lab.test ...) with the lab's dnsmasq; from the client and gateway that goes through Bellows.
        foreach (var ns in topology.All)
        {
            Directory.CreateDirectory(ResolverDirectory(ns));
            await File.WriteAllTextAsync(Path.Combine(ResolverDirectory(ns), "resolv.conf"),
                $"nameserver {LabTopology.ServerV4}\noptions timeout:2 attempts:2\n").ConfigureAwait(false);
        }
    }

    /// <summary>Installs (or replaces) the diversion rules in the gateway namespace.</summary>
    public static async Task ApplyDiversionAsync(LabTopology topology, DiversionOptions diversion)
    {
        ArgumentNullException.ThrowIfNull(topology);
        await topology.Gateway.RunAsync("nft", "delete", "table", "inet", diversion.TableName).ConfigureAwait(false);
        await OkAsync(topology.Gateway.RunWithInputAsync(["nft", "-f", "-"], NftRuleset.Render(diversion))).ConfigureAwait(false);
        foreach (var command in NftRuleset.RoutingCommands(diversion, add: true))
        {
            await topology.Gateway.RunAsync(new[] { "ip" }.Concat(command)).ConfigureAwait(false);
        }
    }

    /// <summary>Removes the diversion rules only: traffic is plainly routed (the benchmark baseline).</summary>
    public static Task RemoveDiversionAsync(LabTopology topology, DiversionOptions diversion) =>
        topology.Gateway.RunAsync("nft", "delete", "table", "inet", diversion.TableName);

    /// <summary>Deletes the namespaces (their links go with them). Safe to call when nothing exists.</summary>
    public static async Task DownAsync(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        foreach (var ns in topology.All)
        {
            if (ns.Exists)
            {
                await IpAsync("netns", "del", ns.Name).ConfigureAwait(false);
            }
        }

        foreach (var ns in topology.All)
        {
            if (Directory.Exists(ResolverDirectory(ns)))
            {
                Directory.Delete(ResolverDirectory(ns), recursive: true);
            }
        }

        foreach (var link in new[] { $"{topology.Prefix}c0", $"{topology.Prefix}s0" })
        {
            await CommandRunner.RunAsync("ip", "link", "del", link).ConfigureAwait(false);
        }
    }

    public static bool IsRoot() => File.ReadAllText("/proc/self/status").Contains("Uid:\t0\t", StringComparison.Ordinal);

    private static string ResolverDirectory(NetworkNamespace ns) => Path.Combine("/etc/netns", ns.Name);

    private static async Task LinkAsync(string a, string b, NetworkNamespace nsA, string nameA, NetworkNamespace nsB, string nameB)
    {
        await IpAsync("link", "add", a, "type", "veth", "peer", "name", b).ConfigureAwait(false);
        await IpAsync("link", "set", a, "netns", nsA.Name).ConfigureAwait(false);
        await IpAsync("link", "set", b, "netns", nsB.Name).ConfigureAwait(false);
        await OkAsync(nsA.RunAsync("ip", "link", "set", a, "name", nameA)).ConfigureAwait(false);
        await OkAsync(nsB.RunAsync("ip", "link", "set", b, "name", nameB)).ConfigureAwait(false);
        await OkAsync(nsA.RunAsync("ip", "link", "set", nameA, "up")).ConfigureAwait(false);
        await OkAsync(nsB.RunAsync("ip", "link", "set", nameB, "up")).ConfigureAwait(false);
    }

    private static async Task AddressAsync(NetworkNamespace ns, string device, string v4, string v6)
    {
        await OkAsync(ns.RunAsync("ip", "addr", "add", v4, "dev", device)).ConfigureAwait(false);
        await OkAsync(ns.RunAsync("ip", "-6", "addr", "add", v6, "dev", device, "nodad")).ConfigureAwait(false);
    }

    private static async Task IpAsync(params string[] args) => (await CommandRunner.RunAsync("ip", args).ConfigureAwait(false)).EnsureSuccess();

    private static async Task OkAsync(Task<CommandResult> command) => (await command.ConfigureAwait(false)).EnsureSuccess();
}
