// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Resource limits (JSON <c>limits</c>).</summary>
public sealed record LimitsConfig
{
    /// <summary>JSON <c>max_sessions</c>: 0 derives the limit from the open-files limit; otherwise 1..1000000.</summary>
    public int MaxSessions { get; init; }

    /// <summary>JSON <c>handoff_queue</c>: capacity of each acceptor-to-worker channel; 1..65536.</summary>
    public int HandoffQueue { get; init; } = 1024;

    /// <summary>JSON <c>fd_reserve</c>: file descriptors kept back from sessions; 16..4096.</summary>
    public int FdReserve { get; init; } = 128;
}
