// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>Binds the <c>listeners</c> array, then checks the listeners against each other.</summary>
internal static class ListenerSetBinder
{
    // Required keys start out invalid (empty name, port 0); the cross-listener checks skip values left like this.
    private static readonly ListenerConfig s_seed = new() { Name = "", Mode = ListenerMode.Tproxy, Port = 0 };

    public static bool TryBind(FieldValue value, out IReadOnlyList<ListenerConfig> listeners)
    {
        listeners = [];
        if (!value.TryArray(out var array))
        {
            return false;
        }

        var bound = new List<BoundListener>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = value.With(array.Items[i], ConfigPath.Index(value.Path, i));
            if (item.TryObject(out var node))
            {
                var config = ObjectBinder.Bind(node, item.Path, s_seed, ListenerFields.Table, value.Diagnostics);
                var listener = new BoundListener(i, config, node);
                ListenerTlsRule.Check(listener, value);
                bound.Add(listener);
            }
        }

        ListenerSetValidator.Validate(bound, value);
        listeners = [.. bound.Select(b => b.Config)];
        return true;
    }
}
