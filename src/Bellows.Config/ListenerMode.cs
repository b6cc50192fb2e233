// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>How a listener learns the original destination of an intercepted connection.</summary>
public enum ListenerMode
{
    /// <summary>JSON <c>"tproxy"</c>: nft/iptables TPROXY; the accepted socket's local address is the destination.</summary>
    Tproxy,

    /// <summary>JSON <c>"redirect"</c>: nat REDIRECT/DNAT; the destination comes from <c>SO_ORIGINAL_DST</c>.</summary>
    Redirect,
}
