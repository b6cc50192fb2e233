// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class LimitsFields
{
    public static readonly FieldTable<LimitsConfig> Table = new("limits")
    {
        { "max_sessions", (c, v) => v.TryInt(0, 1_000_000, out var n) ? c with { MaxSessions = n } : c },
        { "handoff_queue", (c, v) => v.TryInt(1, 65_536, out var n) ? c with { HandoffQueue = n } : c },
        { "fd_reserve", (c, v) => v.TryInt(16, 4096, out var n) ? c with { FdReserve = n } : c },
    };
}
