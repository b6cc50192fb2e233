// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Udp;

/// <summary>Flow-table counters of one UDP listener.</summary>
/// <param name="Active">Flows in the table now.</param>
/// <param name="Created">Flows opened since start.</param>
/// <param name="Evicted">Flows ended early to make room (oldest idle first).</param>
/// <param name="DroppedNoRoom">First datagrams dropped because no flow could be opened (limits, no idle flow to evict).</param>
/// <param name="DroppedEarlyQueue">Datagrams dropped because a flow's set-up queue was full.</param>
/// <param name="DroppedNoDestination">Datagrams without a usable original destination (or no nameserver for DNS).</param>
/// <param name="Redispatched">Datagrams of other clients caught by a new flow's socket before it was connected, handed back.</param>
public sealed record UdpFlowStatistics(long Active, long Created, long Evicted, long DroppedNoRoom, long DroppedEarlyQueue,
    long DroppedNoDestination, long Redispatched);
