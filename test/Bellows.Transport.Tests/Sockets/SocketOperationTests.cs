// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Transport.Sockets;

namespace Bellows.Transport.Tests.Sockets;

public sealed class SocketOperationTests : IAsyncLifetime
{
    private SocketPair _pair = null!;

    public async Task InitializeAsync() => _pair = await SocketPair.CreateAsync();

    public Task DisposeAsync()
    {
        _pair.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ZeroByteReceive_WaitsForData_ThenTheDataIsThere()
    {
        using var operation = new SocketOperation();
        var wait = operation.ReceiveAsync(_pair.B, Memory<byte>.Empty);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);

        await _pair.A.SendAsync(new byte[] { 7, 8, 9 });
        var ready = await wait;
        var buffer = new byte[8];
        var read = await operation.ReceiveAsync(_pair.B, buffer);

        Assert.Equal(SocketResult.Ok(0), ready);
        Assert.Equal(SocketResult.Ok(3), read);
        Assert.Equal(new byte[] { 7, 8, 9 }, buffer[..3]);
    }

    [Fact]
    public async Task PeerResets_ReportedAsConnectionReset_WithoutAnException()
    {
        using var operation = new SocketOperation();
        _pair.A.LingerState = new LingerOption(true, 0);
        _pair.A.Close();
        await Task.Delay(50);

        var result = await operation.ReceiveAsync(_pair.B, new byte[16]);

        Assert.Equal(SocketResult.Failed(SocketError.ConnectionReset), result);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task PendingReceive_SocketClosed_CompletesAsAborted()
    {
        using var operation = new SocketOperation();
        var pending = operation.ReceiveAsync(_pair.B, Memory<byte>.Empty);
        _pair.B.Dispose();

        var result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SocketError.OperationAborted, result.Error);
    }

    [Fact]
    public async Task LargeSend_SlowReader_AllBytesTakenInOrder()
    {
        var data = new byte[4 << 20];
        new Random(42).NextBytes(data);
        using var operation = new SocketOperation();
        var send = operation.SendAsync(_pair.A, data).AsTask();
        var received = new MemoryStream();
        var buffer = new byte[64 << 10];
        while (received.Length < data.Length)
        {
            int n = await _pair.B.ReceiveAsync(buffer);
            Assert.True(n > 0, "the sender's side closed early");
            received.Write(buffer, 0, n);
        }

        Assert.Equal(SocketResult.Ok(data.Length), await send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task Connect_ThenTheSameOperationReceives()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var operation = new SocketOperation();

        var connected = await operation.ConnectAsync(client, listener.LocalEndPoint!).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        using var accepted = await listener.AcceptAsync();
        await accepted.SendAsync(new byte[] { 1, 2 });
        var buffer = new byte[4];
        var read = await operation.ReceiveAsync(client, buffer);

        Assert.True(connected.Succeeded);
        Assert.True(client.Connected);
        Assert.Equal(SocketResult.Ok(2), read);
        Assert.Equal(new byte[] { 1, 2 }, buffer[..2]);
    }

    [Fact]
    public async Task Connect_NobodyListening_ReportedAsRefused_WithoutAnException()
    {
        // A port that was just free: bind, note it, close.
        EndPoint closed;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            closed = probe.LocalEndPoint!;
        }

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var operation = new SocketOperation();

        var result = await operation.ConnectAsync(client, closed).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SocketResult.Failed(SocketError.ConnectionRefused), result);
    }

    [Fact]
    public async Task PendingConnect_Cancelled_CompletesAsAborted()
    {
        // A listener that never accepts, its queue filled: the next SYN is dropped and the connect stays pending.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var fillers = new List<Socket>();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var operation = new SocketOperation();
        try
        {
            ValueTask<SocketResult> pending = default;
            for (int i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                var attempt = filler.ConnectAsync(listener.LocalEndPoint!).WaitAsync(TimeSpan.FromMilliseconds(300));
                if (!await attempt.ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default))
                {
                    pending = operation.ConnectAsync(client, listener.LocalEndPoint!);
                    break;
                }
            }

            await Task.Delay(200);
            Assert.False(pending.IsCompleted, "the connect was not left pending (the listener's queue did not fill)");
            Socket.CancelConnectAsync(operation);
            var result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

            Assert.Equal(SocketError.OperationAborted, result.Error);
        }
        finally
        {
            foreach (var filler in fillers)
            {
                filler.Dispose();
            }
        }
    }
}
