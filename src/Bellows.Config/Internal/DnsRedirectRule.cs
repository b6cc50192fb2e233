// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>
/// The rule that spans sections: an enabled UDP REDIRECT listener sends every query it receives to
/// <c>dns.nameservers</c>, so with none it drops them all, and that is a warning. The built-in <c>redir-dns</c>
/// listener left as it is gets none: it is in the defaults, which have no nameservers, and the defaults (no file,
/// an empty file, the shipped example) must load without warnings.
/// </summary>
internal static class DnsRedirectRule
{
    public static void Check(ObjectNode root, BellowsConfig config, DiagnosticBag diagnostics)
    {
        var nameservers = (root.Find("dns")?.Value as ObjectNode)?.Find("nameservers");

        // A list that is not empty but bound to nothing, or a value of the wrong type, has had its errors reported.
        if (config.Dns.Nameservers.Count > 0 || (nameservers is not null && nameservers.Value is not ArrayNode { Items.Count: 0 }))
        {
            return;
        }

        // Without "listeners" the listeners are the defaults, whose only DNS redirect is the built-in one.
        if (root.Find("listeners")?.Value is not ArrayNode array)
        {
            return;
        }

        // The binder keeps one listener per object element, in order; other elements were reported as errors.
        var bound = 0;
        for (var i = 0; i < array.Items.Count && bound < config.Listeners.Count; i++)
        {
            if (array.Items[i] is not ObjectNode node)
            {
                continue;
            }

            var listener = config.Listeners[bound++];
            if (listener.Enabled && listener.Mode == ListenerMode.Redirect && listener.Protocol == ListenerProtocol.Udp
                && !BellowsConfig.Default.Listeners.Contains(listener))
            {
                diagnostics.Warning(
                    node.PositionOf("protocol"),
                    ConfigPath.Child(ConfigPath.Index("listeners", i), "protocol"),
                    $"listener '{listener.Name}' redirects DNS to dns.nameservers, which is empty; every query it receives will be dropped");
            }
        }
    }
}
