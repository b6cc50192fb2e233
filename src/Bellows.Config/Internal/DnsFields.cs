// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class DnsFields
{
    public static readonly FieldTable<DnsConfig> Table = new("dns")
    {
        { "nameservers", (c, v) => TryBindNameservers(v, out var nameservers) ? c with { Nameservers = nameservers } : c },
        { "selection", (c, v) => v.TryChoice(Choices.DnsSelections, out var selection) ? c with { Selection = selection } : c },
    };

    /// <summary>A list, possibly empty, of IP literals checked like listener addresses; the wildcard names no server.</summary>
    private static bool TryBindNameservers(FieldValue value, out IReadOnlyList<string> nameservers)
    {
        nameservers = [];
        if (!value.TryArray(out var array))
        {
            return false;
        }

        var ok = true;
        var parsed = new List<string>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = value.With(array.Items[i], ConfigPath.Index(value.Path, i));
            if (!item.TryString(out var text))
            {
                ok = false;
            }
            else if (!BindAddress.TryParse(text, out var address))
            {
                ok = item.Fail(BindAddress.ParseError(text));
            }
            else if (BindAddress.IsWildcard(address))
            {
                ok = item.Fail($"'{text}' is the wildcard address, not a nameserver; write the nameserver's own address");
            }
            else
            {
                parsed.Add(text);
            }
        }

        nameservers = parsed;
        return ok;
    }
}
