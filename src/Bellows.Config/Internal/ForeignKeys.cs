// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Diagnostics.CodeAnalysis;

namespace Bellows.Config.Internal;

/// <summary>
/// Keys that Bellows does not use but accepts with a warning instead of failing the load: keys that other tools
/// write, or that a later version of Bellows will understand. Each entry names the schema section, the key and the
/// warning to give.
/// </summary>
internal static class ForeignKeys
{
    // Accepted both at the top level and inside "udp", with the same warning.
    private const string UdpQuickPorts =
        "ignored: Smithproxy's udp_quick_ports is a no-op there too; every UDP flow is a connected (\"cooked\") flow";

    private static readonly (string Section, string Key, string Warning)[] s_known =
    [
        ("", "version", "ignored: Bellows does not read a config version"),
        ("", "udp_quick_ports", UdpQuickPorts),
        ("udp", "udp_quick_ports", UdpQuickPorts),
    ];

    /// <summary>Every foreign key as a path: <c>version</c>, <c>udp.udp_quick_ports</c>.</summary>
    public static IEnumerable<string> Paths => s_known.Select(entry => ConfigPath.Child(entry.Section, entry.Key));

    public static bool TryGetWarning(string section, string key, [NotNullWhen(true)] out string? warning)
    {
        foreach (var entry in s_known)
        {
            if (entry.Section == section && entry.Key == key)
            {
                warning = entry.Warning;
                return true;
            }
        }

        warning = null;
        return false;
    }
}
