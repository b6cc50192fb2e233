// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;
using Bellows.Lab.Processes;
using Bellows.Proxy.Diversion;

namespace Bellows.Host.Commands;

/// <summary>`bellows nft`: the diversion set-up for a real gateway, printed, applied or removed.</summary>
internal static class NftCommand
{
    public static async Task<int> ExecuteAsync(CommandArguments arguments)
    {
        var config = ConfigSource.Load(arguments.Value("--config"));
        if (config is null)
        {
            return 1;
        }

        bool Tcp(ListenerConfig l) => l.Enabled && l.Protocol == ListenerProtocol.Tcp;
        var tproxy = config.Listeners.FirstOrDefault(l => Tcp(l) && l.Mode == ListenerMode.Tproxy && l.Tls != TlsListenerMode.Always);
        var tls = config.Listeners.FirstOrDefault(l => Tcp(l) && l.Mode == ListenerMode.Tproxy && l.Tls == TlsListenerMode.Always);
        var redirect = config.Listeners.FirstOrDefault(l => Tcp(l) && l.Mode == ListenerMode.Redirect);
        var options = new DiversionOptions
        {
            TproxyPorts = Split(arguments.Value("--ports")) ?? ["80"],

            // TLS ports go to the listener that treats every session as TLS, when there is one.
            TlsTproxyPorts = tls is null ? [] : Split(arguments.Value("--tls-ports")) ?? ["443"],
            TlsTproxyListenerPort = tls?.Port ?? 50443,
            RedirectPorts = redirect is null ? [] : Split(arguments.Value("--redirect-ports")) ?? [],
            InputInterfaces = Split(arguments.Value("--interface")) ?? [],
            TproxyListenerPort = tproxy?.Port ?? 50080,
            RedirectListenerPort = redirect?.Port ?? 51080,
            UpstreamMark = config.Relay.UpstreamMark,
        };
        bool apply = arguments.Flag("--apply");
        bool remove = arguments.Flag("--remove");
        arguments.RejectUnknown();
        if (apply && remove)
        {
            throw new CommandLineException("--apply and --remove exclude each other");
        }

        if (!apply && !remove)
        {
            Console.Write(NftRuleset.RenderScript(options));
            return 0;
        }

        if (remove)
        {
            await CommandRunner.RunAsync("nft", "delete", "table", "inet", options.TableName).ConfigureAwait(false);
            foreach (var command in NftRuleset.RoutingCommands(options, add: false))
            {
                await CommandRunner.RunAsync("ip", command).ConfigureAwait(false);
            }

            Console.WriteLine("bellows diversion removed");
            return 0;
        }

        await CommandRunner.RunAsync("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1").ConfigureAwait(false);
        await CommandRunner.RunAsync("nft", "delete", "table", "inet", options.TableName).ConfigureAwait(false);
        var nft = await CommandRunner.RunAsync("nft", ["-f", "-"], null, NftRuleset.Render(options)).ConfigureAwait(false);
        if (!nft.Succeeded)
        {
            await Console.Error.WriteLineAsync("nft failed: " + nft.StandardError).ConfigureAwait(false);
            return 1;
        }

        foreach (var command in NftRuleset.RoutingCommands(options, add: true))
        {
            // "File exists" when already installed is fine.
            await CommandRunner.RunAsync("ip", command).ConfigureAwait(false);
        }

        Console.WriteLine("bellows diversion installed");
        return 0;
    }

    private static string[]? Split(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
