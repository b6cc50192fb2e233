// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>A relay leg that is a plain TCP socket.</summary>
/// <remarks>
/// Receives and sends go through the relay direction's <see cref="SocketOperation"/>: no exception for a reset, no
/// allocation per operation, and none of .NET's own per-socket receive and send state.
/// </remarks>
public sealed class SocketLeg : RelayLeg
{
    private readonly Socket _socket;

    public SocketLeg(Socket socket, CloseSide side)
        : base(side)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    public Socket Socket => _socket;

    // A zero-byte receive completes when data or EOF is ready (.NET peeks one byte on Unix), so an idle
    // session waits here without holding a pooled buffer.
    public override bool UsesSocketOperation => true;

    public override ValueTask<SocketResult> WaitReadableAsync(SocketOperation? operation) =>
        Required(operation).ReceiveAsync(_socket, Memory<byte>.Empty);

    public override ValueTask<SocketResult> ReceiveAsync(Memory<byte> buffer, SocketOperation? operation) =>
        Required(operation).ReceiveAsync(_socket, buffer);

    public override bool HasBufferedData
    {
        get
        {
            try
            {
                return _socket.Available > 0;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<SocketResult> SendAsync(ReadOnlyMemory<byte> data, SocketOperation? operation)
    {
        var send = Required(operation);
        int sent = 0;
        while (true)
        {
            var result = await send.SendAsync(_socket, data[sent..]).ConfigureAwait(false);
            sent += result.Bytes;
            if (!result.Succeeded || sent >= data.Length || result.Bytes == 0)
            {
                return result with { Bytes = sent };
            }
        }
    }

    public override ValueTask ShutdownSendAsync()
    {
        SocketCloser.TryShutdownSend(_socket);
        return ValueTask.CompletedTask;
    }

    public override void Reset() => SocketCloser.Reset(_socket);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
        }
    }

    private static SocketOperation Required(SocketOperation? operation) =>
        operation ?? throw new InvalidOperationException("a socket leg needs the relay direction's SocketOperation");
}
