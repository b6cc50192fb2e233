// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Collections.Frozen;

namespace Bellows.Config;

/// <summary>UDP flow settings (JSON <c>udp</c>), shared by every UDP listener.</summary>
public sealed record UdpConfig
{
    private static readonly IReadOnlyDictionary<int, TimeSpan> s_defaultPortIdleTimeouts =
        new Dictionary<int, TimeSpan> { [53] = TimeSpan.FromSeconds(5) }.ToFrozenDictionary();

    /// <summary>
    /// JSON <c>idle_timeout</c>: seconds without a datagram either way before a flow ends, for ports not in
    /// <see cref="PortIdleTimeouts"/>; more than 0, at most 2147483.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// JSON <c>port_idle_timeouts</c>: idle timeouts by destination port, overriding <see cref="IdleTimeout"/>;
    /// by default <c>{ "53": 5 }</c>, so DNS flows end soon after the answer. Setting it replaces the whole map.
    /// Assigning copies the map.
    /// </summary>
    public IReadOnlyDictionary<int, TimeSpan> PortIdleTimeouts
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value.ToFrozenDictionary();
        }
    } = s_defaultPortIdleTimeouts;

    /// <summary>
    /// JSON <c>max_flows</c>: flow-table size, 1..1000000; beyond it the oldest idle flow is evicted (the number of
    /// flows is also bounded by the file-descriptor budget).
    /// </summary>
    public int MaxFlows { get; init; } = 65_536;

    /// <summary>
    /// JSON <c>early_queue</c>: datagrams queued per flow while its upstream socket is being set up, 1..1024;
    /// excess is dropped and counted. 64 by default because a flow often starts with a burst (a QUIC handshake,
    /// a resolver sending A and AAAA queries at once, a game or VoIP client's first packets), and a burst at flow
    /// start must not be dropped: the application would have to time out and retransmit.
    /// </summary>
    public int EarlyQueue { get; init; } = 64;

    /// <summary>The idle timeout of a flow to destination <paramref name="port"/>.</summary>
    public TimeSpan IdleTimeoutFor(int port) =>
        PortIdleTimeouts.TryGetValue(port, out var timeout) ? timeout : IdleTimeout;

    /// <summary>Value equality, including the per-port timeouts entry by entry.</summary>
    public bool Equals(UdpConfig? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (IdleTimeout == other.IdleTimeout
                && PortIdleTimeouts.Count == other.PortIdleTimeouts.Count
                && PortIdleTimeouts.All(p => other.PortIdleTimeouts.TryGetValue(p.Key, out var t) && t == p.Value)
                && MaxFlows == other.MaxFlows
                && EarlyQueue == other.EarlyQueue));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(IdleTimeout);

        // Ordered by port: equal maps must hash alike whatever order they were built in.
        foreach (var (port, timeout) in PortIdleTimeouts.OrderBy(p => p.Key))
        {
            hash.Add(port);
            hash.Add(timeout);
        }

        hash.Add(MaxFlows);
        hash.Add(EarlyQueue);
        return hash.ToHashCode();
    }
}
