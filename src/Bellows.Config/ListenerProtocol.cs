// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Transport protocol of a listener.</summary>
public enum ListenerProtocol
{
    /// <summary>JSON <c>"tcp"</c>.</summary>
    Tcp,

    /// <summary>JSON <c>"udp"</c>: datagram flows (TPROXY), or DNS to the nameservers (REDIRECT).</summary>
    Udp,
}
