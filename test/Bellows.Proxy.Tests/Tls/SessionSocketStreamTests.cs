// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Proxy.Tests.Relay;
using Bellows.Proxy.Tls;
using Bellows.Transport.Tests.Sockets;

namespace Bellows.Proxy.Tests.Tls;

/// <summary>The streams under the TLS legs: a reset after the handshake costs a plain IOException, not .NET's socket exception.</summary>
public sealed class SessionSocketStreamTests
{
    /// <summary>
    /// The failure comes from the stream's own SocketOperation path: .NET's NetworkStream would have built it with
    /// the stack trace captured as text (the cost this stream exists to avoid).
    /// </summary>
    [Fact]
    public async Task RelayRead_PeerReset_IOExceptionWithTheSocketError_FromTheOperationPath()
    {
        using var pair = await SocketPair.CreateAsync();
        using var stream = new ReplayStream(pair.B, ReadOnlyMemory<byte>.Empty);
        pair.A.LingerState = new LingerOption(true, 0);
        pair.A.Close();
        await Task.Delay(50);

        var error = await Assert.ThrowsAsync<IOException>(async () => _ = await stream.ReadAsync(new byte[16]));

        Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error.InnerException).SocketErrorCode);
        Assert.DoesNotContain("AwaitableSocketAsyncEventArgs", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayReadAndWrite_CarryTheBytes_HandshakeReadsStillCancellable()
    {
        using var pair = await SocketPair.CreateAsync();
        using var stream = new UpstreamStream(pair.B);
        var data = new byte[1 << 20];
        new Random(7).NextBytes(data);

        var write = stream.WriteAsync(data).AsTask();
        var received = new MemoryStream();
        var buffer = new byte[64 << 10];
        while (received.Length < data.Length)
        {
            received.Write(buffer, 0, await pair.A.ReceiveAsync(buffer));
        }

        await write.WaitAsync(TimeSpan.FromSeconds(10));
        await pair.A.SendAsync(new byte[] { 1, 2, 3 });
        Assert.Equal(3, await stream.ReadAsync(new byte[8]));
        Assert.Equal(data, received.ToArray());

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => _ = await stream.ReadAsync(new byte[8], cancel.Token));
    }
}
