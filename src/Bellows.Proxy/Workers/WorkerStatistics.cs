// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Workers;

/// <summary>A snapshot of one worker's counters.</summary>
public sealed record WorkerStatistics(int Index, long LiveSessions, long SessionsHandled, long Bytes, long QueueDepth);
