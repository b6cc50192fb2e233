// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Transport.Sockets;

namespace Bellows.Transport.Tests.Sockets;

public sealed class SocketOperationTests : IAsyncLifetime
{
    private Socket _a = null!;
    private Socket _b = null!;

    public async Task InitializeAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _a = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = _a.ConnectAsync(listener.LocalEndPoint!);
        _b = await listener.AcceptAsync();
        await connect;
    }

    public Task DisposeAsync()
    {
        _a.Dispose();
        _b.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ZeroByteReceive_WaitsForData_ThenTheDataIsThere()
    {
        using var operation = new SocketOperation();
        var wait = operation.ReceiveAsync(_b, Memory<byte>.Empty);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);

        await _a.SendAsync(new byte[] { 7, 8, 9 });
        var ready = await wait;
        var buffer = new byte[8];
        var read = await operation.ReceiveAsync(_b, buffer);

        Assert.Equal(SocketResult.Ok(0), ready);
        Assert.Equal(SocketResult.Ok(3), read);
        Assert.Equal(new byte[] { 7, 8, 9 }, buffer[..3]);
    }

    [Fact]
    public async Task PeerResets_ReportedAsConnectionReset_WithoutAnException()
    {
        using var operation = new SocketOperation();
        _a.LingerState = new LingerOption(true, 0);
        _a.Close();
        await Task.Delay(50);

        var result = await operation.ReceiveAsync(_b, new byte[16]);

        Assert.Equal(SocketResult.Failed(SocketError.ConnectionReset), result);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task PendingReceive_SocketClosed_CompletesAsAborted()
    {
        using var operation = new SocketOperation();
        var pending = operation.ReceiveAsync(_b, Memory<byte>.Empty);
        _b.Dispose();

        var result = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(SocketError.OperationAborted, result.Error);
    }

    [Fact]
    public async Task LargeSend_SlowReader_AllBytesTakenInOrder()
    {
        var data = new byte[4 << 20];
        new Random(42).NextBytes(data);
        using var operation = new SocketOperation();
        var send = operation.SendAsync(_a, data).AsTask();
        var received = new MemoryStream();
        var buffer = new byte[64 << 10];
        while (received.Length < data.Length)
        {
            int n = await _b.ReceiveAsync(buffer);
            Assert.True(n > 0, "the sender's side closed early");
            received.Write(buffer, 0, n);
        }

        Assert.Equal(SocketResult.Ok(data.Length), await send.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(data, received.ToArray());
    }
}
