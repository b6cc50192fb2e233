// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Listeners;
using Bellows.Transport.Buffers;

namespace Bellows.Proxy.Status;

/// <summary>
/// Everything `bellows status` shows: sessions, buffer pool, descriptors, listeners and workers, and whether
/// socket continuations run inline on .NET's epoll threads (docs/architecture.md, Tuning).
/// </summary>
public sealed record ProxyStatus(
    int Pid,
    double UptimeSeconds,
    long LiveSessions,
    long MaxSessions,
    long RejectedSessions,
    long OpenFileDescriptors,
    long FileDescriptorLimit,
    long ManagedHeapBytes,
    long WorkingSetBytes,
    BufferPoolStatistics Pool,
    IReadOnlyList<ListenerStatistics> Listeners,
    Tls.TlsStatistics? Tls = null,
    bool InlineSocketContinuations = false);
