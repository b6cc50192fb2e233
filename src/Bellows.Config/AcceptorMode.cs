// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>How a listener spreads accepts over its acceptors.</summary>
public enum AcceptorMode
{
    /// <summary>JSON <c>"reuseport"</c>: one socket per acceptor with <c>SO_REUSEPORT</c>; the kernel balances.</summary>
    ReusePort,

    /// <summary>JSON <c>"shared"</c>: one socket that all acceptors accept from.</summary>
    Shared,
}
