// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;

namespace Bellows.Host.Commands;

/// <summary>`bellows check-config FILE`: 0 when valid, 1 with every error listed otherwise.</summary>
internal static class CheckConfigCommand
{
    public static int Execute(CommandArguments arguments)
    {
        arguments.RejectUnknown();
        if (arguments.Positional.Count != 1)
        {
            throw new CommandLineException("check-config needs exactly one FILE");
        }

        var result = ConfigLoader.LoadFile(arguments.Positional[0]);
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine("warning: " + warning);
        }

        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine("error: " + error);
        }

        Console.WriteLine(result.IsValid
            ? $"{arguments.Positional[0]}: valid ({result.Warnings.Count} warnings)"
            : $"{arguments.Positional[0]}: {result.Errors.Count} errors");
        return result.IsValid ? 0 : 1;
    }
}
