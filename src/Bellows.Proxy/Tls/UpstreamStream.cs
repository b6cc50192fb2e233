// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Proxy.Tls;

/// <summary>
/// The server socket as a stream for the upstream SslStream. While <see cref="ReadsLeaveEventLoop"/> is set, a
/// read continues on a thread-pool thread, never on a socket event-loop thread.
/// </summary>
/// <remarks>
/// SslStream validates the server's chain in the continuation of the read that brought the certificate, and
/// .NET's chain build fetches OCSP responses, CRLs and missing intermediates synchronously, for up to the
/// revocation timeout. With socket continuations inline on the epoll threads
/// (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), that wait would freeze every socket of that event loop:
/// other sessions, the listener, and the fetch's own HTTP connection, which then always ran into the timeout.
/// On a thread-pool thread it blocks only this session. Handshake reads only: the relay never blocks.
/// </remarks>
internal sealed class UpstreamStream : SessionSocketStream
{
    public UpstreamStream(Socket socket)
        : base(socket)
    {
    }

    public bool ReadsLeaveEventLoop { get; set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadsLeaveEventLoop ? ReadOnThreadPoolAsync(buffer, cancellationToken) : base.ReadAsync(buffer, cancellationToken);

    private async ValueTask<int> ReadOnThreadPoolAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int n = await base.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!Thread.CurrentThread.IsThreadPoolThread)
        {
            // The event-loop threads are not pool threads; from one, queue the rest (SslStream's processing of
            // these bytes) to the pool.
            await Task.Yield();
        }

        return n;
    }
}
