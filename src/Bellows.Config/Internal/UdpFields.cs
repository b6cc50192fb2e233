// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Globalization;

namespace Bellows.Config.Internal;

internal static class UdpFields
{
    private const double MaxIdleSeconds = RelayFields.MaxIdleSeconds;

    public static readonly FieldTable<UdpConfig> Table = new("udp")
    {
        { "idle_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, MaxIdleSeconds, out var t) ? c with { IdleTimeout = t } : c },
        { "port_idle_timeouts", (c, v) => TryBindPortTimeouts(v, out var timeouts) ? c with { PortIdleTimeouts = timeouts } : c },
        { "max_flows", (c, v) => v.TryInt(1, 1_000_000, out var n) ? c with { MaxFlows = n } : c },
        { "early_queue", (c, v) => v.TryInt(1, 1024, out var n) ? c with { EarlyQueue = n } : c },
    };

    /// <summary>
    /// An object whose keys are destination ports written in decimal ("53", not "053" or "0x35", so that no two keys
    /// name one port) and whose values are idle timeouts in seconds. A bad key is reported at the key.
    /// </summary>
    private static bool TryBindPortTimeouts(FieldValue value, out IReadOnlyDictionary<int, TimeSpan> timeouts)
    {
        var result = new Dictionary<int, TimeSpan>();
        timeouts = result;
        if (!value.TryObject(out var obj))
        {
            return false;
        }

        var ok = true;
        foreach (var property in obj.Properties)
        {
            var item = value.With(property.Value, ConfigPath.Child(value.Path, property.Name));
            if (!IsPort(property.Name, out var port))
            {
                value.Diagnostics.Error(property.NamePosition, item.Path, $"'{property.Name}' is not a port; expected a decimal port number 1..65535 as the key");
                ok = false;
            }
            else if (item.TrySeconds(0, minExclusive: true, MaxIdleSeconds, out var timeout))
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

    private static bool IsPort(string key, out int port) =>
        int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out port)
        && port is >= 1 and <= 65535
        && port.ToString(CultureInfo.InvariantCulture) == key;
}
