// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Whether a TCP listener's sessions are looked at as TLS (JSON <c>listeners[].tls</c>).</summary>
public enum TlsListenerMode
{
    /// <summary>JSON <c>"off"</c>: plain relay, the first bytes are never looked at.</summary>
    Off,

    /// <summary>
    /// JSON <c>"detect"</c>: a session whose client speaks first with a TLS handshake record is handled as TLS;
    /// anything else (including server-speaks-first protocols) is relayed unchanged.
    /// </summary>
    Detect,

    /// <summary>JSON <c>"always"</c>: every session is TLS; non-TLS bytes follow <see cref="TlsProfileConfig.NonTls"/>.</summary>
    Always,
}
