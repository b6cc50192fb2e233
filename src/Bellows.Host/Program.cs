// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Host.Commands;

namespace Bellows.Host;

internal static class Program
{
    private const string Usage = """
        usage: bellows <command> [options]

          lab [--prefix P] [--nat auto|none] [--no-tls] [--once] [--down]
                              build a client/gateway/server lab in network namespaces, run Bellows in it,
                              send sample traffic; Ctrl-C tears it down (default command)
          run [--config FILE] run the proxy in the foreground (SIGINT/SIGTERM: drain and stop)
          check-config FILE   validate a configuration file; every error with line and key
          status [--socket PATH]
                              print the status of a running Bellows (sessions, workers, buffer pool)
          ca init [--config FILE] [--dir DIR] [--force]
                              create the CA that signs inspected connections' certificates (in tls.ca_dir,
                              or DIR) and print how to make clients trust it; --force replaces an existing CA
          ca export [--config FILE] [--dir DIR]
                              print the CA certificate (PEM), for clients to install
          nft [--config FILE] [--ports LIST] [--tls-ports LIST] [--redirect-ports LIST] [--interface IF] [--apply|--remove]
                              print (or install/remove) the nftables and ip rule/route set-up that diverts
                              traffic to Bellows
        """;

    public static async Task<int> Main(string[] args)
    {
        var arguments = new CommandArguments(args.Skip(1));
        string command = args.Length > 0 ? args[0] : "lab";
        try
        {
            return command switch
            {
                "run" => await RunCommand.ExecuteAsync(arguments).ConfigureAwait(false),
                "check-config" => CheckConfigCommand.Execute(arguments),
                "status" => await StatusCommand.ExecuteAsync(arguments).ConfigureAwait(false),
                "ca" => CaCommand.Execute(arguments),
                "nft" => await NftCommand.ExecuteAsync(arguments).ConfigureAwait(false),
                "lab" => await LabCommand.ExecuteAsync(arguments).ConfigureAwait(false),
                "help" or "--help" or "-h" => PrintUsage(Console.Out, 0),
                _ => PrintUsage(Console.Error, 2),
            };
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync("bellows: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Bellows.Lab.LabException e)
        {
            await Console.Error.WriteLineAsync("bellows lab: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static int PrintUsage(TextWriter writer, int code)
    {
        writer.WriteLine(Usage);
        return code;
    }
}
