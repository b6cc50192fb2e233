// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>How redirected DNS queries pick a nameserver.</summary>
public enum DnsSelection
{
    /// <summary>JSON <c>"round-robin"</c>: each new flow takes the next nameserver.</summary>
    RoundRobin,

    /// <summary>JSON <c>"first-alive"</c>: the first nameserver that has not failed recently.</summary>
    FirstAlive,
}
