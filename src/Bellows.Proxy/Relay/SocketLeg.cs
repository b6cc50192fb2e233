// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>A relay leg that is a plain TCP socket.</summary>
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

    public override async ValueTask WaitReadableAsync()
    {
        // A zero-byte receive completes when data or EOF is ready (.NET peeks one byte on Unix), so an idle
        // session waits here without holding a pooled buffer.
        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
    }

    public override ValueTask<int> ReceiveAsync(Memory<byte> buffer) => _socket.ReceiveAsync(buffer, SocketFlags.None);

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

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> data)
    {
        await _socket.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
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
}
