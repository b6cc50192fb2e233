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
    private static bool TryBindNameservers(FieldValue value, out IReadOnlyList<string> nameservers) =>
        StringListBinder.TryBind(value, static (item, text) =>
        {
            if (!BindAddress.TryParse(text, out var address))
            {
                item.Fail(BindAddress.ParseError(text));
                return null;
            }

            if (BindAddress.IsWildcard(address))
            {
                item.Fail($"'{text}' is the wildcard address, not a nameserver; write the nameserver's own address");
                return null;
            }

            return text;
        }, out nameservers);
}
