// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using Bellows.Config;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Status;
using Bellows.Proxy.Tls;
using Bellows.Proxy.Udp;
using Bellows.Proxy.Workers;
using Bellows.Tls.Validation;
using Bellows.Transport.Buffers;
using Bellows.Transport.Interop;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy;

/// <summary>The running proxy: listeners, the shared buffer pool and session budget, start, drain and status.</summary>
public sealed class BellowsProxy : IAsyncDisposable
{
    /// <summary>Free relay buffers kept for reuse; beyond this a burst's buffers go back to the GC.</summary>
    private const int MaxRetainedBuffers = 128;

    private static readonly TimeSpan s_trimPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_prunePeriod = TimeSpan.FromHours(6);

    private readonly BellowsConfig _config;
    private readonly ILogger _logger;
    private readonly List<IListenerGroup> _listeners = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _fdLimit;
    private Task _housekeeping = Task.CompletedTask;

    public BellowsProxy(BellowsConfig config, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        _config = config;
        _logger = loggers.CreateLogger("Bellows.Proxy");
        Pool = new PinnedBufferPool(config.Relay.BufferSize, MaxRetainedBuffers);
        _fdLimit = FileDescriptorLimit.Current();

        // Descriptors the runtime already holds (epoll, pipes, logs) come off the top, then the reserve.
        int baseline = Math.Max(0, FileDescriptorLimit.OpenCount());
        Budget = new SessionBudget(SessionBudget.FromLimits(config.Limits.MaxSessions, _fdLimit - baseline, config.Limits.FdReserve));
        ProxyLog.SessionBudget(_logger, _fdLimit, Budget.Max, config.Limits.FdReserve);
        try
        {
            // The CA is loaded (or created) only when some listener looks at TLS.
            if (config.Listeners.Any(l => l.Enabled && l.Protocol == ListenerProtocol.Tcp && l.Tls != TlsListenerMode.Off))
            {
                Tls = TlsInspector.Create(config.Tls, _logger);
            }

            foreach (var listener in config.Listeners.Where(l => l.Enabled))
            {
                _listeners.Add(listener.Protocol == ListenerProtocol.Udp
                    ? new UdpListenerGroup(listener, config, Pool, Budget, loggers)
                    : new TcpListenerGroup(listener, config.Relay, config.Limits.HandoffQueue, Pool, Budget, loggers, config.Logging.SessionLog, Tls));
            }
        }
        catch
        {
            Tls?.Dispose();
            foreach (var group in _listeners)
            {
                group.Dispose();
            }

            throw;
        }
    }

    public PinnedBufferPool Pool { get; }

    /// <summary>TLS inspection state; null when no listener looks at TLS.</summary>
    public TlsInspector? Tls { get; }

    public SessionBudget Budget { get; }

    public IReadOnlyList<IListenerGroup> Listeners => _listeners;

    public void Start()
    {
        foreach (var group in _listeners)
        {
            group.Start();
            var stats = group.GetStatistics();
            ProxyLog.ListenerStarted(_logger, stats.Name, stats.Mode, string.Join(",", group.EndPoints), stats.Acceptors.Count,
                stats.AcceptorMode, stats.Workers.Count);
        }

        _housekeeping = HousekeepingAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, lets open sessions finish for up to <paramref name="drain"/>, then resets the rest.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        await Task.WhenAll(_listeners.Select(l => l.StopAcceptingAsync())).ConfigureAwait(false);
        ProxyLog.Draining(_logger, Budget.Live, (long)drain.TotalMilliseconds);
        var deadline = Stopwatch.GetTimestamp() + (long)(drain.TotalSeconds * Stopwatch.Frequency);
        while (Budget.Live > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        long aborted = Budget.Live;
        foreach (var group in _listeners)
        {
            group.AbortAll(new CloseReason(CloseSide.Proxy, CloseKind.Shutdown));
        }

        // Aborted sessions finish within a moment (their sockets are reset); give them that moment to log.
        var grace = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
        while (Budget.Live > 0 && Stopwatch.GetTimestamp() < grace)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_listeners.Select(l => l.StopWorkersAsync())).ConfigureAwait(false);
        await _housekeeping.ConfigureAwait(false);
        ProxyLog.Stopped(_logger, aborted);
    }

    public ProxyStatus GetStatus()
    {
        using var process = Process.GetCurrentProcess();
        return new ProxyStatus(
            Environment.ProcessId,
            Stopwatch.GetElapsedTime(_started).TotalSeconds,
            Budget.Live,
            Budget.Max,
            Budget.Rejected,
            FileDescriptorLimit.OpenCount(),
            _fdLimit,
            GC.GetTotalMemory(false),
            process.WorkingSet64,
            Pool.GetStatistics(),
            _listeners.Select(l => l.GetStatistics()).ToArray(),
            Tls?.GetStatistics(),
            Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") == "1");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        }

        foreach (var group in _listeners)
        {
            group.Dispose();
        }

        _stopping.Dispose();
        Tls?.Dispose();
    }

    /// <summary>Every 10 s: trim the buffer pool; with revocation on, prune .NET's revocation files too.</summary>
    private async Task HousekeepingAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(s_trimPeriod);
        long nextPrune = 0;

        // Off the caller's thread (Start): the first pass below touches the disk.
        await Task.Yield();
        try
        {
            do
            {
                Pool.Trim();

                // With revocation on, .NET's OCSP/CRL files pile up: a pass at start, then every few hours.
                if (Tls?.Validator.MayWaitOnNetwork == true && Stopwatch.GetTimestamp() >= nextPrune)
                {
                    int pruned = RevocationFileCache.Prune(RevocationFileCache.Directories, DateTimeOffset.UtcNow, RevocationFileCache.DefaultMaxAge);
                    if (pruned > 0)
                    {
                        TlsLog.RevocationFilesPruned(_logger, pruned, RevocationFileCache.DefaultMaxAge.TotalDays);
                    }

                    nextPrune = Stopwatch.GetTimestamp() + (long)(s_prunePeriod.TotalSeconds * Stopwatch.Frequency);
                }
            }
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
