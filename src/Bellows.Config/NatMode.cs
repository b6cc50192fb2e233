// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Which source address the upstream leg uses.</summary>
public enum NatMode
{
    /// <summary>JSON <c>"auto"</c>: the kernel picks the source address of the upstream connection.</summary>
    Auto,

    /// <summary>JSON <c>"none"</c>: the upstream leg keeps the client's source address (transparent source, TPROXY only).</summary>
    None,
}
