// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>What a <c>"tls": "always"</c> listener does with bytes that are not TLS (JSON <c>tls.profile.non_tls</c>).</summary>
public enum NonTlsAction
{
    /// <summary>JSON <c>"relay"</c>: relay them unchanged to the original destination.</summary>
    Relay,

    /// <summary>JSON <c>"drop"</c>: reset the session, logged.</summary>
    Drop,
}
