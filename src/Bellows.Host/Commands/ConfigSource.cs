// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;

namespace Bellows.Host.Commands;

/// <summary>Loads the configuration named by --config, or the embedded defaults; prints diagnostics.</summary>
internal static class ConfigSource
{
    public static BellowsConfig? Load(string? path)
    {
        if (path is null)
        {
            return BellowsConfig.Default;
        }

        var result = ConfigLoader.LoadFile(path);
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine("warning: " + warning);
        }

        foreach (var error in result.Errors)
        {
            Console.Error.WriteLine("error: " + error);
        }

        return result.IsValid ? result.Config : null;
    }
}
