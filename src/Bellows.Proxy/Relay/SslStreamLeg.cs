// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Net.Sockets;
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

    public override async ValueTask WaitReadableAsync() =>
        await _ssl.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _ssl.ReadAsync(buffer);

    /// <summary>Unknown for TLS (decrypted bytes may wait inside SslStream): the relay returns its buffer and the next zero-byte read completes at once if so.</summary>
    public override bool HasBufferedData => false;

    public override ValueTask SendAsync(ReadOnlyMemory<byte> data) => _ssl.WriteAsync(data);

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
