// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Runtime.InteropServices;
using Bellows.Config;
using Bellows.Lab;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;
using LabServers = Bellows.Lab.Servers;

namespace Bellows.Host.Commands;

/// <summary>
/// `bellows lab`: the self-contained demonstration. Builds client, gateway and server namespaces, runs the
/// built-in servers and Bellows, sends sample traffic through it and shows the session log.
/// </summary>
internal static class LabCommand
{
    public static async Task<int> ExecuteAsync(CommandArguments arguments)
    {
        string prefix = arguments.Value("--prefix") ?? "blw";
        bool down = arguments.Flag("--down");
        bool once = arguments.Flag("--once");
        string nat = arguments.Value("--nat") ?? "auto";
        bool noTls = arguments.Flag("--no-tls");
        arguments.RejectUnknown();
        if (!LabTopology.IsValidPrefix(prefix))
        {
            throw new CommandLineException("--prefix must be 1-8 lowercase letters or digits");
        }

        if (!LabNetwork.IsRoot())
        {
            throw new CommandLineException("the lab needs root (it creates network namespaces and nftables rules)");
        }

        if (down)
        {
            await LabNetwork.DownAsync(new LabTopology(prefix)).ConfigureAwait(false);
            Console.WriteLine($"lab '{prefix}' removed");
            return 0;
        }

        var options = new LabOptions
        {
            Prefix = prefix,
            Nat = nat switch
            {
                "auto" => NatMode.Auto,
                "none" => NatMode.None,
                _ => throw new CommandLineException("--nat is auto or none"),
            },
            Tls = !noTls,

            // As a gateway with an internal CA runs: the public roots plus the lab origin's CA.
            TrustSystemRoots = true,
        };

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        Console.WriteLine($"building lab '{prefix}': namespaces {prefix}-cli, {prefix}-gw, {prefix}-srv ...");
        var lab = await LabEnvironment.CreateAsync(options).ConfigureAwait(false);
        await using (lab.ConfigureAwait(false))
        {
            await lab.StartBellowsAsync(echo: line => Console.WriteLine("  [bellows] " + line)).ConfigureAwait(false);
            await SampleTrafficAsync(lab).ConfigureAwait(false);
            PrintHowTo(lab);
            if (!once)
            {
                Console.WriteLine("Ctrl-C removes the lab.");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C.
                }
            }

            Console.WriteLine("tearing the lab down ...");
        }

        return 0;
    }

    private static async Task SampleTrafficAsync(LabEnvironment lab)
    {
        string v4 = LabTopology.ServerV4.ToString();
        string v6 = LabTopology.ServerV6.ToString();
        (string What, string[] Args)[] samples =
        [
            ("IPv4 HTTP on port 80", [$"http://{v4}/"]),
            ("IPv6 HTTP on port 80", ["-6", $"http://[{v6}]/"]),
            ("what the server sees as the client", [$"http://{v4}/whoami"]),
            ("10 MiB on port 7777", ["-o", "/dev/null", "-w", "%{size_download} bytes in %{time_total} s\n", $"http://{v4}:7777/bytes/10485760"]),
        ];
        if (lab.Options.Tls)
        {
            samples = [.. samples, ("HTTPS inspected: curl trusts Bellows' CA only", TlsCurl(lab, $"https://{LabOriginNames.Www}/"))];
        }

        foreach (var (what, args) in samples)
        {
            Console.WriteLine($"\n$ ip netns exec {lab.Topology.Client.Name} curl {string.Join(' ', args)}   # {what}");
            var result = await lab.CurlAsync(args).ConfigureAwait(false);
            Console.Write(result.Succeeded ? result.StandardOutput : $"curl failed ({result.ExitCode}): {result.StandardError}");
        }

        // Session log lines are written when each session closes; give the last one a moment.
        await Task.Delay(300).ConfigureAwait(false);
        if (lab.Bellows is { } bellows)
        {
            var status = await bellows.GetStatusAsync().ConfigureAwait(false);
            Console.WriteLine($"\nstatus: {status.LiveSessions} live sessions, pool outstanding {status.Pool.Outstanding}, " +
                $"workers handled [{string.Join(", ", status.Listeners[0].Workers.Select(w => w.SessionsHandled))}]");
        }
    }

    /// <summary>
    /// curl arguments for the TLS origin through Bellows. --http1.1: curl would offer h2 first, and the origin
    /// negotiates h2 without serving it. --resolve: the sample does not depend on the lab's DNS.
    /// </summary>
    private static string[] TlsCurl(LabEnvironment lab, string url) =>
        ["--http1.1", "--cacert", lab.Options.BellowsCaPath, "--resolve", $"{LabOriginNames.Www}:443:{LabTopology.ServerV4}", url];

    private static void PrintHowTo(LabEnvironment lab)
    {
        var t = lab.Topology;

        Console.WriteLine($"""

            Send your own traffic (TPROXY ports {string.Join(",", lab.Options.TproxyPorts)} go through Bellows):
              ip netns exec {t.Client.Name} curl http://{LabTopology.ServerV4}/
              ip netns exec {t.Client.Name} curl http://{LabTopology.ServerV4}/bytes/1048576 -o /dev/null
              ip netns exec {t.Client.Name} socat - TCP:{LabTopology.ServerV4}:{lab.Options.EchoPort}     # echo
              ip netns exec {t.Gateway.Name} curl http://{LabTopology.ServerV4}:7180/     # REDIRECT (local traffic)
              ip netns exec {t.Client.Name} dig @{LabTopology.ServerV4} www.lab.test     # UDP flow (DNS)
              ip netns exec {t.Gateway.Name} dig @198.18.1.53 www.lab.test     # DNS REDIRECT to the nameservers
            Status:  bellows status --socket {t.ManagementSocket}
            Rules:   ip netns exec {t.Gateway.Name} nft list table inet bellows
            After a killed run: bellows lab --down --prefix {t.Prefix}
            """);
        if (lab.Options.Tls)
        {
            PrintTlsHowTo(lab);
        }
    }

    private static void PrintTlsHowTo(LabEnvironment lab)
    {
        var t = lab.Topology;
        string dir = lab.WorkDirectory;
        Console.WriteLine($"""

            TLS (ports {string.Join(",", lab.Options.TlsPorts)} go to Bellows' TLS listener {lab.Options.TlsListenerPort}; the namespaces resolve *.lab.test with the lab's dnsmasq):
              ip netns exec {t.Client.Name} curl --http1.1 --cacert {lab.Options.BellowsCaPath} https://{LabOriginNames.Www}/     # inspected
              ip netns exec {t.Client.Name} curl --http1.1 --cacert {lab.OriginCaPath} https://{LabOriginNames.Www}/     # fails: Bellows' certificate
              ip netns exec {t.Client.Name} openssl s_client -connect {LabTopology.ServerV4}:443 -servername {LabOriginNames.Expired} -alpn h2 </dev/null
              ip netns exec {t.Gateway.Name} curl --cacert {lab.OriginCaPath} https://{LabTopology.ServerV4}/     # the origin itself (not diverted)
            Origin names: {string.Join(", ", LabOriginNames.Served)}
            Origin files in {dir}: {LabOriginPki.CaFileName}, origin-certs/NAME.pem, origin.crl; OCSP {LabOriginPki.OcspUrl}; plain text on :{LabServers.LabLineServer.Port}
            """);
    }
}
