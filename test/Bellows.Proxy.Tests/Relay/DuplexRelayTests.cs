// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Proxy.Relay;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Buffers;
using Bellows.Transport.Tests.Sockets;

namespace Bellows.Proxy.Tests.Relay;

/// <summary>
/// The relay between real loopback sockets:
/// app client (left.A) ── left.B [relay] right.A ── right.B (app server).
/// </summary>
public class DuplexRelayTests
{
    private sealed class ByteCounter : IRelayAccounting
    {
        public long Bytes;

        public void AddBytes(long count) => Interlocked.Add(ref Bytes, count);
    }

    private static async Task<(SocketPair Left, SocketPair Right, DuplexRelay Relay, Task Run, PinnedBufferPool Pool, ByteCounter Counter)> StartAsync(int bufferSize = 4096)
    {
        var left = await SocketPair.CreateAsync();
        var right = await SocketPair.CreateAsync();
        var pool = new PinnedBufferPool(bufferSize, 8);
        var counter = new ByteCounter();
        var relay = new DuplexRelay(new SocketLeg(left.B, CloseSide.Client), new SocketLeg(right.A, CloseSide.Server), pool, counter);
        return (left, right, relay, relay.RunAsync(), pool, counter);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            ms.Write(buffer, 0, n);
        }

        return ms.ToArray();
    }

    [Fact]
    public async Task Relay_ClientHalfCloses_ServerStillAnswersAndClientGetsAll()
    {
        var (left, right, relay, run, pool, counter) = await StartAsync();
        using (left)
        using (right)
        {
            var request = new byte[10_000];
            Random.Shared.NextBytes(request);
            await left.A.SendAsync(request);
            left.A.Shutdown(SocketShutdown.Send);

            // The server sees the request and then EOF (the FIN went through) ...
            var received = await ReadToEndAsync(right.B);
            Assert.Equal(request, received);

            // ... and its answer, sent after that FIN, still reaches the client.
            var answer = new byte[50_000];
            Random.Shared.NextBytes(answer);
            await right.B.SendAsync(answer);
            right.B.Shutdown(SocketShutdown.Send);
            Assert.Equal(answer, await ReadToEndAsync(left.A));

            await run.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("client-fin", relay.Reason.ToString());
            Assert.Equal(10_000, relay.BytesUp);
            Assert.Equal(50_000, relay.BytesDown);
            Assert.Equal(60_000, counter.Bytes);
            Assert.Equal(0, pool.GetStatistics().Outstanding);
        }
    }

    [Fact]
    public async Task Relay_ServerResets_ClientSeesReset()
    {
        var (left, right, relay, run, pool, _) = await StartAsync();
        using (left)
        using (right)
        {
            await left.A.SendAsync(new byte[] { 1, 2, 3 });
            var buffer = new byte[3];
            Assert.Equal(3, await right.B.ReceiveAsync(buffer));
            right.B.LingerState = new LingerOption(true, 0);
            right.B.Close();

            var error = await Assert.ThrowsAsync<SocketException>(async () =>
            {
                var b = new byte[16];
                while (await left.A.ReceiveAsync(b) > 0)
                {
                }
            });
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
            await run.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("server-rst", relay.Reason.ToString());
            Assert.Equal(0, pool.GetStatistics().Outstanding);
        }
    }

    /// <summary>
    /// Clients that reset are everyday traffic: the relay must learn of it from the operation's result, not from a
    /// SocketException (.NET formats a stack trace for each, and that was 15 % of the CPU of short connections).
    /// </summary>
    [Fact]
    public async Task Relay_ClientResets_NoSocketExceptionInTheRelay()
    {
        int relayExceptions = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is SocketException && e.Exception.StackTrace?.Contains(nameof(DuplexRelay), StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref relayExceptions);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var (left, right, relay, run, pool, _) = await StartAsync();
            using (left)
            using (right)
            {
                await left.A.SendAsync(new byte[] { 1, 2, 3 });
                Assert.Equal(3, await right.B.ReceiveAsync(new byte[3]));
                left.A.LingerState = new LingerOption(true, 0);
                left.A.Close();

                await run.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.Equal("client-rst", relay.Reason.ToString());
                Assert.Equal(0, pool.GetStatistics().Outstanding);
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, relayExceptions);
    }

    [Fact]
    public async Task Relay_Abort_ResetsBothSidesAndRecordsReason()
    {
        var (left, right, relay, run, pool, _) = await StartAsync();
        using (left)
        using (right)
        {
            relay.Abort(new CloseReason(CloseSide.Proxy, CloseKind.IdleTimeout));
            await run.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("proxy-idle-timeout", relay.Reason.ToString());
            var b = new byte[1];
            var e1 = await Assert.ThrowsAsync<SocketException>(async () => await left.A.ReceiveAsync(b));
            var e2 = await Assert.ThrowsAsync<SocketException>(async () => await right.B.ReceiveAsync(b));
            Assert.Equal(SocketError.ConnectionReset, e1.SocketErrorCode);
            Assert.Equal(SocketError.ConnectionReset, e2.SocketErrorCode);
            Assert.Equal(0, pool.GetStatistics().Outstanding);
        }
    }

    [Fact]
    public async Task Relay_IdleSession_HoldsNoBuffer()
    {
        var (left, right, relay, run, pool, _) = await StartAsync();
        using (left)
        using (right)
        {
            await left.A.SendAsync(new byte[100]);
            var buffer = new byte[100];
            int got = 0;
            while (got < 100)
            {
                got += await right.B.ReceiveAsync(buffer.AsMemory(got));
            }

            await Task.Delay(100);
            var stats = pool.GetStatistics();
            Assert.Equal(1, stats.Rented);
            Assert.Equal(0, stats.Outstanding);
            relay.Abort(new CloseReason(CloseSide.Proxy, CloseKind.Shutdown));
            await run.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Relay_SlowReader_BoundsBufferedBytes()
    {
        var (left, right, relay, run, pool, _) = await StartAsync(bufferSize: 16384);
        using (left)
        using (right)
        {
            foreach (var s in new[] { left.A, left.B, right.A, right.B })
            {
                s.SendBufferSize = 65536;
                s.ReceiveBufferSize = 65536;
            }

            // The server does not read: the client's writes must stall, not pile up inside Bellows.
            var payload = new byte[32 * 1024 * 1024];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            long sent = 0;
            try
            {
                while (sent < payload.Length)
                {
                    sent += await left.A.SendAsync(payload.AsMemory((int)sent, 65536), SocketFlags.None, cts.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Expected: the sender is blocked by back-pressure.
            }

            Assert.True(sent < payload.Length / 2, $"sender pushed {sent} bytes into a non-reading peer");
            Assert.True(pool.GetStatistics().Outstanding <= 1);
            Assert.True(relay.BytesUp <= sent);
            relay.Abort(new CloseReason(CloseSide.Proxy, CloseKind.Shutdown));
            await run.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(0, pool.GetStatistics().Outstanding);
        }
    }

    [Fact]
    public async Task Relay_BulkBothWays_DataIntactAndPoolReturnsToZero()
    {
        var (left, right, relay, run, pool, _) = await StartAsync(bufferSize: 8192);
        using (left)
        using (right)
        {
            var up = new byte[3_000_001];
            var down = new byte[5_000_003];
            Random.Shared.NextBytes(up);
            Random.Shared.NextBytes(down);
            var serverReads = ReadToEndAsync(right.B);
            var clientReads = ReadToEndAsync(left.A);
            await Task.WhenAll(
                Task.Run(async () => { await left.A.SendAsync(up); left.A.Shutdown(SocketShutdown.Send); }),
                Task.Run(async () => { await right.B.SendAsync(down); right.B.Shutdown(SocketShutdown.Send); }));
            Assert.Equal(up, await serverReads);
            Assert.Equal(down, await clientReads);
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(CloseKind.Fin, relay.Reason.Kind);
            Assert.Equal(0, pool.GetStatistics().Outstanding);
        }
    }
}
