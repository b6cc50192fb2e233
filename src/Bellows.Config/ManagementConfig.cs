// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>The management endpoint (JSON <c>management</c>).</summary>
public sealed record ManagementConfig
{
    /// <summary>
    /// JSON <c>socket</c>: absolute path of the Unix socket, at most 107 bytes (the <c>sun_path</c> limit), or empty
    /// to disable the endpoint.
    /// </summary>
    public string Socket { get; init; } = "/run/bellows/bellows.sock";
}
