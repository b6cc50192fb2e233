// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Proxy.Tls;

/// <summary>
/// The client socket as a stream that first returns the bytes Bellows already read from it (the ClientHello),
/// so SslStream sees the connection from its first byte.
/// </summary>
internal sealed class ReplayStream : SessionSocketStream
{
    private ReadOnlyMemory<byte> _replay;

    public ReplayStream(Socket socket, ReadOnlyMemory<byte> replay)
        : base(socket) => _replay = replay;

    public override int Read(Span<byte> buffer)
    {
        if (_replay.IsEmpty)
        {
            return base.Read(buffer);
        }

        return Take(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_replay.IsEmpty)
        {
            return base.ReadAsync(buffer, cancellationToken);
        }

        // A zero-byte read asks "is there data?": there is.
        return ValueTask.FromResult(buffer.IsEmpty ? 0 : Take(buffer.Span));
    }

    private int Take(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, _replay.Length);
        _replay.Span[..n].CopyTo(buffer);
        _replay = _replay[n..];
        return n;
    }
}
