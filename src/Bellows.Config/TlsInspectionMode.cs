// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>What a TLS profile does with a TLS session (JSON <c>tls.profile.mode</c>).</summary>
public enum TlsInspectionMode
{
    /// <summary>JSON <c>"inspect"</c>: terminate both legs with a minted certificate toward the client.</summary>
    Inspect,

    /// <summary>JSON <c>"bypass"</c>: relay the original TLS bytes untouched (the ClientHello is still parsed and logged).</summary>
    Bypass,
}
