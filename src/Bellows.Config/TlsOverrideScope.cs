// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>What an accepted warning-page override covers (JSON <c>tls.profile.override_scope</c>).</summary>
public enum TlsOverrideScope
{
    /// <summary>JSON <c>"client-server"</c>: this client's address toward this server (SNI, or IP without SNI).</summary>
    ClientServer,

    /// <summary>JSON <c>"certificate"</c>: any client, for the upstream certificate with this SHA-256 fingerprint.</summary>
    Certificate,
}
