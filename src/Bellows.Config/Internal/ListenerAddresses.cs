// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Net;

namespace Bellows.Config.Internal;

/// <summary>Binds a listener's <c>addresses</c>: a non-empty list of IP literals that do not overlap each other.</summary>
internal static class ListenerAddresses
{
    public static bool TryBind(FieldValue value, out IReadOnlyList<string> addresses)
    {
        addresses = [];
        if (!value.TryArray(out var array))
        {
            return false;
        }

        if (array.Items.Count == 0)
        {
            return value.Fail("expected at least one address, such as \"0.0.0.0\" or \"::\"");
        }

        var ok = true;
        var parsed = new List<(IPAddress Address, string Text, int Index)>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = value.With(array.Items[i], ConfigPath.Index(value.Path, i));
            ok &= TryBindOne(item, parsed, i);
        }

        addresses = [.. parsed.Select(p => p.Text)];
        return ok;
    }

    private static bool TryBindOne(FieldValue item, List<(IPAddress Address, string Text, int Index)> parsed, int index)
    {
        if (!item.TryString(out var text))
        {
            return false;
        }

        if (!BindAddress.TryParse(text, out var address))
        {
            return item.Fail(BindAddress.ParseError(text));
        }

        foreach (var (other, _, otherIndex) in parsed)
        {
            if (BindAddress.Overlaps(other, address))
            {
                return item.Fail($"{text} overlaps {other} at addresses[{otherIndex}] of the same listener");
            }
        }

        parsed.Add((address, text, index));
        return true;
    }
}
