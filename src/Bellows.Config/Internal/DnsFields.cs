// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Net;

namespace Bellows.Config.Internal;

internal static class DnsFields
{
    public static readonly FieldTable<DnsConfig> Table = new("dns")
    {
        { "nameservers", (c, v) => TryBindNameservers(v, out var list) ? c with { Nameservers = list } : c },
        { "selection", (c, v) => v.TryChoice(Choices.DnsSelections, out var s) ? c with { Selection = s } : c },
    };

    private static bool TryBindNameservers(FieldValue value, out IReadOnlyList<string> list)
    {
        var result = new List<string>();
        list = result;
        if (!value.TryArray(out var array))
        {
            return false;
        }

        bool ok = true;
        for (int i = 0; i < array.Items.Count; i++)
        {
            var item = value.With(array.Items[i], ConfigPath.Index(value.Path, i));
            if (item.TryString(out var text) && item.Require(IPAddress.TryParse(text, out _) && text.Contains('.', StringComparison.Ordinal) | text.Contains(':', StringComparison.Ordinal), $"'{text}' is not an IP address"))
            {
                result.Add(text);
            }
            else
            {
                ok = false;
            }
        }

        return ok;
    }
}
