// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>A relay leg that is a plain TCP socket.</summary>
/// <remarks>
/// Receives and sends go through one <see cref="SocketOperation"/> each (a direction of the relay never has two of
/// one kind in flight): no exception for a reset, and no per-operation allocation.
/// </remarks>
public sealed class SocketLeg : RelayLeg
{
    private readonly Socket _socket;
    private readonly SocketOperation _receive = new();
    private readonly SocketOperation _send = new();

    public SocketLeg(Socket socket, CloseSide side)
        : base(side)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    public Socket Socket => _socket;

    // A zero-byte receive completes when data or EOF is ready (.NET peeks one byte on Unix), so an idle
    // session waits here without holding a pooled buffer.
    public override ValueTask<SocketResult> WaitReadableAsync() => _receive.ReceiveAsync(_socket, Memory<byte>.Empty);

    public override ValueTask<SocketResult> ReceiveAsync(Memory<byte> buffer) => _receive.ReceiveAsync(_socket, buffer);

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
    public override async ValueTask<SocketResult> SendAsync(ReadOnlyMemory<byte> data)
    {
        int sent = 0;
        while (true)
        {
            var result = await _send.SendAsync(_socket, data[sent..]).ConfigureAwait(false);
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

    public override void Reset()
    {
        SocketCloser.Reset(_socket);
        DisposeOperations();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
            DisposeOperations();
        }
    }

    /// <summary>After the socket is closed: an operation still pending completes (aborted) before it is freed.</summary>
    private void DisposeOperations()
    {
        _receive.Dispose();
        _send.Dispose();
    }
}
