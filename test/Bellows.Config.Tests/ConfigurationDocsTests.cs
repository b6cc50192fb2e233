// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using Bellows.Config.Internal;

namespace Bellows.Config.Tests;

/// <summary>Keeps docs/configuration.md in step with the keys the loader knows.</summary>
public class ConfigurationDocsTests
{
    public static TheoryData<string> AllKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in RootFields.Table.Keys)
        {
            data.Add(key);
        }

        foreach (var key in ListenerFields.Table.Keys)
        {
            data.Add("listeners[]." + key);
        }

        AddSection(data, "relay", RelayFields.Table.Keys);
        AddSection(data, "udp", UdpFields.Table.Keys);
        AddSection(data, "dns", DnsFields.Table.Keys);
        AddSection(data, "tls", TlsFields.Table.Keys);
        AddSection(data, "tls.profile", TlsProfileFields.Table.Keys);
        AddSection(data, "limits", LimitsFields.Table.Keys);
        AddSection(data, "shutdown", ShutdownFields.Table.Keys);
        AddSection(data, "logging", LoggingFields.Table.Keys);
        AddSection(data, "management", ManagementFields.Table.Keys);
        foreach (var path in ForeignKeys.Paths)
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllKeys))]
    public void ConfigurationMd_EveryKey_HasARow(string key)
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "configuration.md"));

        Assert.Contains($"| `{key}` |", doc, StringComparison.Ordinal);
    }

    private static void AddSection(TheoryData<string> data, string section, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            data.Add(section + "." + key);
        }
    }
}
