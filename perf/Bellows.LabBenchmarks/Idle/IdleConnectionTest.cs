// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bellows.Lab.Network;
using Bellows.LabBenchmarks.Paths;
using Bellows.LabBenchmarks.Tools;

namespace Bellows.LabBenchmarks.Idle;

/// <summary>
/// Memory of a proxy holding many idle connections. The benchmark process opens the client sockets in the
/// client namespace; each must echo one byte through the proxy before it counts, then all of them sit idle.
/// </summary>
/// <remarks>
/// 1. Warm up: a few hundred echo connections through the proxy, closed again, so the code paths are loaded.
/// 2. RSS before.
/// 3. Open <c>count</c> connections, each echoing one byte (at most <see cref="Parallelism"/> in flight).
/// 4. Leave them idle for <see cref="s_settle"/>; read RSS, descriptors and the proxy's live-session count.
/// 5. Echo one more byte on a sample, to show the connections survived the idle time; reset everything.
/// </remarks>
public sealed class IdleConnectionTest
{
    private const int Parallelism = 64;
    private const int WarmUpConnections = 200;
    private const int ProbeSample = 100;

    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_ioTimeout = TimeSpan.FromSeconds(10);

    private readonly NetworkNamespace _client;
    private readonly IPEndPoint _echo;
    private readonly Action<string> _log;

    public IdleConnectionTest(NetworkNamespace client, IPEndPoint echo, Action<string> log)
    {
        _client = client;
        _echo = echo;
        _log = log;
    }

    public async Task<IdleSample> RunAsync(ITrafficPath path, int count, int run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        int pid = path.ProxyPid ?? throw new BenchmarkException($"{path.Name} has no proxy process to measure");

        // :: Step 1
        var (warm, warmFailed) = await OpenAsync(WarmUpConnections, cancellationToken).ConfigureAwait(false);
        CloseAll(warm);
        if (warmFailed > 0)
        {
            throw new BenchmarkException($"{path.Name}: {warmFailed} of {WarmUpConnections} warm-up echo connections failed");
        }

        await WaitForLiveAsync(path, 0, cancellationToken).ConfigureAwait(false);
        await Task.Delay(1000, cancellationToken).ConfigureAwait(false);

        // :: Step 2
        long before = ProcFs.ResidentBytes(pid);
        var countersBefore = await path.ReadCountersAsync().ConfigureAwait(false);

        // :: Step 3
        var watch = Stopwatch.StartNew();
        var (sockets, failed) = await OpenAsync(count, cancellationToken).ConfigureAwait(false);
        try
        {
            _log($"  {sockets.Count} connections open through {path.Name} in {watch.Elapsed.TotalSeconds:0.0} s ({failed} failed)");

            // :: Step 4
            await Task.Delay(s_settle, cancellationToken).ConfigureAwait(false);
            long idle = ProcFs.ResidentBytes(pid);
            int descriptors = ProcFs.OpenDescriptors(pid);
            var counters = await path.ReadCountersAsync().ConfigureAwait(false)
                ?? throw new BenchmarkException($"{path.Name} has no counters");
            if (counters.Live < sockets.Count)
            {
                throw new BenchmarkException(
                    $"{path.Name} counts {counters.Live} live sessions but {sockets.Count} connections echoed: they did not all go through it");
            }

            // :: Step 5
            int probed = Math.Min(ProbeSample, sockets.Count);
            int alive = 0;
            for (int i = 0; i < probed; i++)
            {
                if (await EchoAsync(sockets[i * sockets.Count / probed], cancellationToken).ConfigureAwait(false))
                {
                    alive++;
                }
            }

            return new IdleSample(path.Name, run, sockets.Count, failed, counters.Live, alive, probed, before, idle, descriptors, countersBefore?.Detail, counters.Detail);
        }
        finally
        {
            CloseAll(sockets);
            await WaitForLiveAsync(path, 0, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes with a reset (linger 0): a FIN would leave ~9,000 TIME_WAIT sockets in the client namespace for 60 s,
    /// and the next run's connect() calls crawl through the port range around them (a run took 31 s instead of 5).
    /// </summary>
    private static void CloseAll(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
                // Already reset by the other side.
            }

            socket.Dispose();
        }

        sockets.Clear();
    }

    /// <summary>Waits (at most 20 s) until the proxy's live sessions drop to <paramref name="live"/> or below.</summary>
    private static async Task WaitForLiveAsync(ITrafficPath path, long live, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            var counters = await path.ReadCountersAsync().ConfigureAwait(false);
            if (counters is null || counters.Live <= live)
            {
                return;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(List<Socket> Sockets, int Failed)> OpenAsync(int count, CancellationToken cancellationToken)
    {
        var sockets = new List<Socket>(count);
        int failed = 0;
        using var gate = new SemaphoreSlim(Parallelism);
        var tasks = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    if (socket is null)
                    {
                        Interlocked.Increment(ref failed);
                        return;
                    }

                    lock (sockets)
                    {
                        sockets.Add(socket);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (sockets, failed);
    }

    /// <summary>A connection from the client namespace that has echoed one byte, or null.</summary>
    private async Task<Socket?> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = _client.CreateSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(s_ioTimeout);
            await socket.ConnectAsync(_echo, limit.Token).ConfigureAwait(false);
            if (await EchoAsync(socket, cancellationToken).ConfigureAwait(false))
            {
                return socket;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        socket.Dispose();
        return null;
    }

    private static async Task<bool> EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(s_ioTimeout);
        var buffer = new byte[1] { (byte)'b' };
        try
        {
            await socket.SendAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
            buffer[0] = 0;
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token).ConfigureAwait(false);
            return n == 1 && buffer[0] == (byte)'b';
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return false;
        }
    }
}
