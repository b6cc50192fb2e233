// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography;
using Bellows.Tls.Certificates;

namespace Bellows.Host.Commands;

/// <summary>
/// `bellows ca init|export [--config FILE] [--dir DIR]`: the CA that signs minted certificates. The directory is
/// --dir, else the config's <c>tls.ca_dir</c>.
/// </summary>
internal static partial class CaCommand
{
    public static int Execute(CommandArguments arguments)
    {
        bool force = arguments.Flag("--force");
        string? directory = arguments.Value("--dir");
        string? configPath = arguments.Value("--config");
        arguments.RejectUnknown();
        if (arguments.Positional.Count != 1 || arguments.Positional[0] is not ("init" or "export"))
        {
            throw new CommandLineException("ca needs one subcommand: init or export");
        }

        string subcommand = arguments.Positional[0];
        if (force && subcommand != "init")
        {
            throw new CommandLineException("--force applies to 'ca init' only");
        }

        if (directory?.Length == 0)
        {
            throw new CommandLineException("--dir needs a directory");
        }

        // Without --dir the config decides (its errors are printed); with --dir it is not read at all.
        directory ??= ConfigSource.Load(configPath)?.Tls.CaDirectory;
        if (directory is null)
        {
            return 1;
        }

        try
        {
            directory = Path.GetFullPath(directory);
            return subcommand == "init" ? Init(directory, force) : Export(directory);
        }
        catch (Exception e) when (e is CertificateAuthorityException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            Console.Error.WriteLine("bellows ca: " + e.Message);
            return 1;
        }
    }
}
