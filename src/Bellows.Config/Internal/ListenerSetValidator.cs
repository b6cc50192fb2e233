// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Net;

namespace Bellows.Config.Internal;

/// <summary>
/// Rules that span listeners: unique names, and no two enabled listeners of one protocol on the same port with
/// overlapping addresses. Each clash is reported on the later listener, naming the earlier one.
/// </summary>
internal static class ListenerSetValidator
{
    public static void Validate(IReadOnlyList<BoundListener> listeners, FieldValue array)
    {
        for (var j = 0; j < listeners.Count; j++)
        {
            for (var i = 0; i < j; i++)
            {
                CheckNames(listeners[i], listeners[j], array);
                CheckEndpoints(listeners[i], listeners[j], array);
            }
        }

        if (!listeners.Any(l => l.Config.Enabled))
        {
            array.Diagnostics.Warning(array.Node.Position, array.Path, "no listener is enabled; Bellows will accept no connections");
        }
    }

    private static void CheckNames(BoundListener earlier, BoundListener later, FieldValue array)
    {
        var name = later.Config.Name;
        if (name.Length > 0 && name == earlier.Config.Name)
        {
            array.Diagnostics.Error(
                later.Node.PositionOf("name"),
                ConfigPath.Child(ConfigPath.Index(array.Path, later.Index), "name"),
                $"duplicate listener name '{name}'; listeners[{earlier.Index}] already uses it");
        }
    }

    private static void CheckEndpoints(BoundListener earlier, BoundListener later, FieldValue array)
    {
        var (a, b) = (earlier.Config, later.Config);
        if (!a.Enabled || !b.Enabled || b.Port == 0 || a.Port != b.Port || a.Protocol != b.Protocol)
        {
            return;
        }

        foreach (var addressA in a.Addresses)
        {
            foreach (var addressB in b.Addresses)
            {
                if (BindAddress.TryParse(addressA, out var ipA)
                    && BindAddress.TryParse(addressB, out var ipB)
                    && BindAddress.Overlaps(ipA, ipB))
                {
                    array.Diagnostics.Error(
                        later.Node.PositionOf("port"),
                        ConfigPath.Child(ConfigPath.Index(array.Path, later.Index), "port"),
                        Clash(b.Port, ipB, a.Name, earlier.Index, ipA));
                    return;
                }
            }
        }
    }

    private static string Clash(int port, IPAddress address, string otherName, int otherIndex, IPAddress otherAddress) =>
        $"port {port} on {address} overlaps listener '{otherName}' (listeners[{otherIndex}]) on {otherAddress}";
}
