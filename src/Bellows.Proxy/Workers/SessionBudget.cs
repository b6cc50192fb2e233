// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Workers;

/// <summary>
/// The process-wide cap on live sessions. The cap is the configured maximum, but never more than the open-files
/// limit allows: each TCP session costs two descriptors (client and server socket), and a reserve is kept for
/// listeners, logs and the management socket, so that running out of descriptors never breaks accept().
/// </summary>
public sealed class SessionBudget
{
    private long _live;
    private long _rejected;

    public SessionBudget(long max) => Max = Math.Max(1, max);

    public long Max { get; }

    public long Live => Volatile.Read(ref _live);

    public long Rejected => Volatile.Read(ref _rejected);

    public static long FromLimits(long configuredMax, long fileDescriptorLimit, int reserve, int descriptorsPerSession = 2)
    {
        long byFds = fileDescriptorLimit > 0 ? Math.Max(1, (fileDescriptorLimit - reserve) / descriptorsPerSession) : long.MaxValue;
        return configuredMax > 0 ? Math.Min(configuredMax, byFds) : byFds;
    }

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref _live) <= Max)
        {
            return true;
        }

        Interlocked.Decrement(ref _live);
        Interlocked.Increment(ref _rejected);
        return false;
    }

    /// <summary>
    /// Takes a slot even when full: used right after evicting a UDP flow, whose sockets are already closed
    /// (so the descriptors are free) but whose slot is released only when its task finishes a moment later.
    /// </summary>
    public void ForceAcquire() => Interlocked.Increment(ref _live);

    public void Release() => Interlocked.Decrement(ref _live);
}
