// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>Binds an array of strings, each checked on its own so that every bad entry is reported at its index.</summary>
internal static class StringListBinder
{
    /// <param name="value">The array value.</param>
    /// <param name="bind">
    /// Checks one entry: returns the value to keep, or null after reporting the problem on the entry's
    /// <see cref="FieldValue"/>.
    /// </param>
    /// <param name="items">The kept values (possibly empty); meaningful only when the result is true.</param>
    public static bool TryBind(FieldValue value, Func<FieldValue, string, string?> bind, out IReadOnlyList<string> items)
    {
        items = [];
        if (!value.TryArray(out var array))
        {
            return false;
        }

        var ok = true;
        var parsed = new List<string>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = value.With(array.Items[i], ConfigPath.Index(value.Path, i));
            if (!item.TryString(out var text) || bind(item, text) is not { } kept)
            {
                ok = false;
                continue;
            }

            parsed.Add(kept);
        }

        items = parsed;
        return ok;
    }
}
