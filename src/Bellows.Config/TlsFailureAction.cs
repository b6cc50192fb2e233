// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>What happens when the upstream certificate fails a check the profile does not allow (JSON <c>tls.profile.on_failure</c>).</summary>
public enum TlsFailureAction
{
    /// <summary>JSON <c>"block"</c>: reset the client, log the verdict.</summary>
    Block,

    /// <summary>
    /// JSON <c>"warn"</c>: for HTTP inside TLS, answer with an HTML warning page that offers an override;
    /// other protocols are blocked.
    /// </summary>
    Warn,
}
