// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Globalization;

namespace Bellows.Config.Internal;

internal static class UdpFields
{
    private const double MaxIdleSeconds = 2_147_483;

    public static readonly FieldTable<UdpConfig> Table = new("udp")
    {
        { "idle_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, MaxIdleSeconds, out var t) ? c with { IdleTimeout = t } : c },
        { "port_idle_timeouts", (c, v) => TryBindPortTimeouts(v, out var map) ? c with { PortIdleTimeouts = map } : c },
        { "max_flows", (c, v) => v.TryInt(1, 1_000_000, out var n) ? c with { MaxFlows = n } : c },
        { "early_queue", (c, v) => v.TryInt(1, 1024, out var n) ? c with { EarlyQueue = n } : c },
    };

    private static bool TryBindPortTimeouts(FieldValue value, out IReadOnlyDictionary<int, TimeSpan> map)
    {
        var result = new Dictionary<int, TimeSpan>();
        map = result;
        if (!value.TryObject(out var obj))
        {
            return false;
        }

        bool ok = true;
        foreach (var property in obj.Properties)
        {
            var item = value.With(property.Value, ConfigPath.Child(value.Path, property.Name));
            if (!int.TryParse(property.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                ok &= item.Fail($"'{property.Name}' is not a port number (1..65535)");
                continue;
            }

            if (item.TrySeconds(0, minExclusive: true, MaxIdleSeconds, out var timeout))
            {
                result[port] = timeout;
            }
            else
            {
                ok = false;
            }
        }

        return ok;
    }
}
