// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>The top-level keys; each section starts from its default, so a file sets only what it changes.</summary>
internal static class RootFields
{
    public static readonly FieldTable<BellowsConfig> Table = new("")
    {
        { "listeners", (c, v) => ListenerSetBinder.TryBind(v, out var listeners) ? c with { Listeners = listeners } : c },
        { "relay", (c, v) => v.TrySection(c.Relay, RelayFields.Table, out var relay) ? c with { Relay = relay } : c },
        { "udp", (c, v) => v.TrySection(c.Udp, UdpFields.Table, out var udp) ? c with { Udp = udp } : c },
        { "dns", (c, v) => v.TrySection(c.Dns, DnsFields.Table, out var dns) ? c with { Dns = dns } : c },
        { "tls", (c, v) => v.TrySection(c.Tls, TlsFields.Table, out var tls) ? c with { Tls = tls } : c },
        { "limits", (c, v) => v.TrySection(c.Limits, LimitsFields.Table, out var limits) ? c with { Limits = limits } : c },
        { "shutdown", (c, v) => v.TrySection(c.Shutdown, ShutdownFields.Table, out var shutdown) ? c with { Shutdown = shutdown } : c },
        { "logging", (c, v) => v.TrySection(c.Logging, LoggingFields.Table, out var logging) ? c with { Logging = logging } : c },
        { "management", (c, v) => v.TrySection(c.Management, ManagementFields.Table, out var management) ? c with { Management = management } : c },
    };
}
