// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>UDP flow settings (JSON <c>udp</c>).</summary>
public sealed record UdpConfig
{
    private static readonly IReadOnlyDictionary<int, TimeSpan> s_defaultPortTimeouts =
        new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5) };

    /// <summary>JSON <c>idle_timeout</c>: seconds without a datagram either way before a flow ends (120).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>JSON <c>port_idle_timeouts</c>: per destination port, e.g. <c>{ "53": 5 }</c> so DNS flows end soon after the answer.</summary>
    public IReadOnlyDictionary<int, TimeSpan> PortIdleTimeouts { get; init; } = s_defaultPortTimeouts;

    /// <summary>JSON <c>max_flows</c>: flow-table size; beyond it the oldest idle flow is evicted (also bounded by the fd budget).</summary>
    public int MaxFlows { get; init; } = 65_536;

    /// <summary>JSON <c>early_queue</c>: datagrams queued per flow while it is being set up; excess is dropped and counted.</summary>
    public int EarlyQueue { get; init; } = 8;

    public TimeSpan IdleTimeoutFor(int port) => PortIdleTimeouts.TryGetValue(port, out var t) ? t : IdleTimeout;

    public bool Equals(UdpConfig? other) =>
        other is not null && IdleTimeout == other.IdleTimeout && MaxFlows == other.MaxFlows && EarlyQueue == other.EarlyQueue
        && PortIdleTimeouts.Count == other.PortIdleTimeouts.Count
        && PortIdleTimeouts.All(p => other.PortIdleTimeouts.TryGetValue(p.Key, out var t) && t == p.Value);

    public override int GetHashCode() => HashCode.Combine(IdleTimeout, MaxFlows, EarlyQueue, PortIdleTimeouts.Count);
}
