// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;

namespace Bellows.Proxy.Udp;

/// <summary>What a UDP flow needs from its listener and the config, resolved once.</summary>
public sealed record UdpFlowSettings(string Listener, ListenerMode Mode, int Port, NatMode Nat, int UpstreamMark, UdpConfig Udp)
{
    public static UdpFlowSettings From(ListenerConfig listener, BellowsConfig config)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(config);

        // Redirected clients are local processes: their address cannot be spoofed (it is their own socket's).
        var nat = listener.Mode == ListenerMode.Redirect ? NatMode.Auto : listener.Nat ?? config.Relay.Nat;
        return new UdpFlowSettings(listener.Name, listener.Mode, listener.Port, nat, config.Relay.UpstreamMark, config.Udp);
    }
}
