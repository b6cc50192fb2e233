// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;

namespace Bellows.Proxy.Listeners;

/// <summary>What a session needs to know about the listener that accepted it, resolved once from config.</summary>
public sealed record ListenerSettings(
    string Name,
    ListenerMode Mode,
    int Port,
    NatMode Nat,
    TimeSpan ConnectTimeout,
    TimeSpan IdleTimeout,
    int UpstreamMark,
    bool NoDelay,
    TlsListenerMode Tls = TlsListenerMode.Off)
{
    /// <summary>The process-wide TLS state, for listeners whose <see cref="Tls"/> is not off.</summary>
    public Tls.TlsInspector? Inspector { get; init; }

    public static ListenerSettings From(ListenerConfig listener, RelayConfig relay)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(relay);
        // REDIRECT clients are local processes: spoofing their address would collide with their own socket.
        var nat = listener.Mode == ListenerMode.Redirect ? NatMode.Auto : listener.Nat ?? relay.Nat;
        return new ListenerSettings(listener.Name, listener.Mode, listener.Port, nat,
            relay.ConnectTimeout, relay.IdleTimeout, relay.UpstreamMark, relay.NoDelay,
            listener.Protocol == ListenerProtocol.Tcp ? listener.Tls : TlsListenerMode.Off);
    }
}
