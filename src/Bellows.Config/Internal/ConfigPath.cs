// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Globalization;

namespace Bellows.Config.Internal;

/// <summary>Builds key paths such as <c>listeners[1].port</c>; the root is the empty path.</summary>
internal static class ConfigPath
{
    public const string Root = "$";

    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Index(string parent, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>The path as diagnostics show it: <c>$</c> for the root.</summary>
    public static string Display(string path) => path.Length == 0 ? Root : path;
}
