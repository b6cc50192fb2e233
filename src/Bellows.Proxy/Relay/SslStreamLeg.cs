// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>A relay leg that is a TLS connection Bellows terminated: plaintext in and out, TLS on the socket.</summary>
/// <remarks>
/// SslStream supports zero-byte reads: with nothing decrypted and buffered it issues a zero-byte read to the
/// socket and holds no record buffer while it waits, so an idle inspected session costs no more buffers than a
/// plain one.
/// </remarks>
public sealed class SslStreamLeg : RelayLeg
{
    private readonly SslStream _ssl;
    private readonly Socket _socket;

    public SslStreamLeg(SslStream ssl, Socket socket, CloseSide side)
        : base(side)
    {
        ArgumentNullException.ThrowIfNull(ssl);
        ArgumentNullException.ThrowIfNull(socket);
        _ssl = ssl;
        _socket = socket;
    }

    /// <summary>SslStream does its own socket I/O.</summary>
    public override bool UsesSocketOperation => false;

    public override ValueTask<SocketResult> WaitReadableAsync(SocketOperation? operation) => ReceiveAsync(Memory<byte>.Empty, operation);

    public override ValueTask<SocketResult> ReceiveAsync(Memory<byte> buffer, SocketOperation? operation)
    {
        var read = _ssl.ReadAsync(buffer);
        return read.IsCompletedSuccessfully ? new ValueTask<SocketResult>(SocketResult.Ok(read.Result)) : CompleteAsync(read);
    }

    /// <summary>Unknown for TLS (decrypted bytes may wait inside SslStream): the relay returns its buffer and the next zero-byte read completes at once if so.</summary>
    public override bool HasBufferedData => false;

    public override ValueTask<SocketResult> SendAsync(ReadOnlyMemory<byte> data, SocketOperation? operation)
    {
        var write = _ssl.WriteAsync(data);
        return write.IsCompletedSuccessfully ? new ValueTask<SocketResult>(SocketResult.Ok(data.Length)) : CompleteAsync(write, data.Length);
    }

    /// <summary>SslStream reports socket failures as exceptions: turned into results here, as for plain legs.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<SocketResult> CompleteAsync(ValueTask<int> read)
    {
        try
        {
            return SocketResult.Ok(await read.ConfigureAwait(false));
        }
        catch (Exception e) when (SocketErrorOf(e) is { } error)
        {
            return SocketResult.Failed(error);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<SocketResult> CompleteAsync(ValueTask write, int length)
    {
        try
        {
            await write.ConfigureAwait(false);
            return SocketResult.Ok(length);
        }
        catch (Exception e) when (SocketErrorOf(e) is { } error)
        {
            return SocketResult.Failed(error);
        }
    }

    private static SocketError? SocketErrorOf(Exception e) => e switch
    {
        SocketException socket => socket.SocketErrorCode,
        IOException { InnerException: SocketException inner } => inner.SocketErrorCode,
        _ => null,
    };

    public override async ValueTask ShutdownSendAsync()
    {
        try
        {
            // close_notify, so the peer can tell an orderly end from a truncation; then the FIN.
            await _ssl.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The peer is gone or the stream is closing: the FIN below (or the reset) tells the rest.
        }

        SocketCloser.TryShutdownSend(_socket);
    }

    public override void Reset()
    {
        SocketCloser.Reset(_socket);
        _ssl.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ssl.Dispose();
            _socket.Dispose();
        }
    }
}
