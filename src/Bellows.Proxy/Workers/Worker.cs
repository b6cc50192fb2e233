// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Threading.Channels;
using Bellows.Proxy.Relay;
using Bellows.Proxy.Sessions;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Workers;

/// <summary>
/// Owns sessions from hand-off to close: starts them, counts them, times them out, ends them at shutdown.
/// </summary>
/// <remarks>
/// A session never changes worker. Its I/O completions run on .NET's socket engine and thread pool (the
/// equivalent of Smithproxy's per-worker epoll loop, without a thread hop per read); what the worker owns is the
/// session's life: its slot, counters, idle timer and shutdown. Each worker reads only its own column of the
/// hand-off mesh.
/// </remarks>
public sealed class Worker : ILoadReporter, IRelayAccounting
{
    private static readonly TimeSpan s_scanPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<long, IProxySession> _sessions = new();
    private readonly SessionBudget _budget;
    private readonly ILogger _sessionLogger;
    private readonly bool _logSessions;
    private long _live;
    private long _handled;
    private long _bytes;
    private long _queued;

    public Worker(int index, SessionBudget budget, ILogger sessionLogger, bool logSessions)
    {
        Index = index;
        _budget = budget;
        _sessionLogger = sessionLogger;
        _logSessions = logSessions;
    }

    public int Index { get; }

    public long Load => Volatile.Read(ref _live) + Volatile.Read(ref _queued);

    public long LiveSessions => Volatile.Read(ref _live);

    public void AddBytes(long count) => Interlocked.Add(ref _bytes, count);

    /// <summary>Called by an acceptor just before it writes into this worker's channel.</summary>
    internal void NoteQueued() => Interlocked.Increment(ref _queued);

    internal void NoteQueueRejected() => Interlocked.Decrement(ref _queued);

    /// <summary>Reads every acceptor's channel to this worker, and scans for idle sessions, until the channels complete.</summary>
    public Task RunAsync(IReadOnlyList<ChannelReader<IProxySession>> inboxes, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(inboxes);
        var loops = inboxes.Select(ReadInboxAsync).Append(ScanIdleAsync(stopping));
        return Task.WhenAll(loops);
    }

    public WorkerStatistics GetStatistics() =>
        new(Index, LiveSessions, Volatile.Read(ref _handled), Volatile.Read(ref _bytes), Volatile.Read(ref _queued));

    /// <summary>Ends every live session (drain deadline passed).</summary>
    public void AbortAll(CloseReason reason)
    {
        foreach (var session in _sessions.Values)
        {
            session.Abort(reason);
        }
    }

    /// <summary>Times out sessions idle for longer than their idle timeout.</summary>
    public int ScanIdle(long now)
    {
        int expired = 0;
        foreach (var session in _sessions.Values)
        {
            long last = session.LastActivity;
            if (last != long.MaxValue && now - last > (long)session.IdleTimeout.TotalMilliseconds)
            {
                session.Abort(new CloseReason(CloseSide.Proxy, CloseKind.IdleTimeout));
                expired++;
            }
        }

        return expired;
    }

    private async Task ReadInboxAsync(ChannelReader<IProxySession> inbox)
    {
        while (await inbox.WaitToReadAsync().ConfigureAwait(false))
        {
            while (inbox.TryRead(out var session))
            {
                Interlocked.Decrement(ref _queued);
                Start(session);
            }
        }
    }

    private void Start(IProxySession session)
    {
        _sessions[session.Id] = session;
        Interlocked.Increment(ref _live);
        Interlocked.Increment(ref _handled);
        _ = RunSessionAsync(session);
    }

    private async Task RunSessionAsync(IProxySession session)
    {
        try
        {
            await session.RunAsync(this).ConfigureAwait(false);
        }
        finally
        {
            _sessions.TryRemove(session.Id, out _);
            Interlocked.Decrement(ref _live);
            _budget.Release();
        }

        if (_logSessions)
        {
            session.LogClosed(_sessionLogger);
        }
    }

    private async Task ScanIdleAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(s_scanPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                ScanIdle(Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
