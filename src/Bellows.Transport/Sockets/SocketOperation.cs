// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Bellows.Transport.Sockets;

/// <summary>
/// Receives or sends on a socket, one operation at a time, and reports a failure as a <see cref="SocketError"/>
/// in its <see cref="SocketResult"/> instead of throwing.
/// </summary>
/// <remarks>
/// Why: <c>Socket.ReceiveAsync(Memory&lt;byte&gt;)</c> turns a failed receive into a SocketException and captures
/// the current stack trace as text for it (a stack walk, then reflection over every frame). Clients that end
/// their connections with a reset (wrk does, browsers often do) make that happen once per connection: it was 15 %
/// of Bellows' CPU relaying short connections. The continuation of an operation that completes later runs where
/// the socket engine completes it, as with the ValueTask socket methods (inline on the epoll thread when
/// DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is set). The execution context does not flow.
/// </remarks>
public sealed class SocketOperation : SocketAsyncEventArgs, IValueTaskSource<SocketResult>
{
    private ManualResetValueTaskSourceCore<SocketResult> _core;

    public SocketOperation()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>
    /// Connects <paramref name="socket"/> to <paramref name="remote"/>. <see cref="Socket.CancelConnectAsync"/> with this
    /// operation ends a pending connect (by closing the socket: <see cref="SocketError.OperationAborted"/>).
    /// </summary>
    /// <remarks>
    /// Why not <c>Socket.ConnectAsync(EndPoint, CancellationToken)</c>: it leaves .NET's own awaitable event args
    /// (296 bytes) on the socket for the rest of its life; the relay then receives and sends through this
    /// operation, which it needs anyway.
    /// </remarks>
    public ValueTask<SocketResult> ConnectAsync(Socket socket, EndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(remote);
        _core.Reset();
        SetBuffer(Memory<byte>.Empty);
        RemoteEndPoint = remote;
        return socket.ConnectAsync(this) ? new ValueTask<SocketResult>(this, _core.Version) : new ValueTask<SocketResult>(Result());
    }

    /// <summary>Receives into <paramref name="buffer"/> (empty: waits until data or end of stream is ready).</summary>
    public ValueTask<SocketResult> ReceiveAsync(Socket socket, Memory<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _core.Reset();
        SetBuffer(buffer);
        return socket.ReceiveAsync(this) ? new ValueTask<SocketResult>(this, _core.Version) : new ValueTask<SocketResult>(Result());
    }

    /// <summary>Sends <paramref name="data"/>; <see cref="SocketResult.Bytes"/> says how much was taken.</summary>
    public ValueTask<SocketResult> SendAsync(Socket socket, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _core.Reset();
        SetBuffer(MemoryMarshal.AsMemory(data));
        return socket.SendAsync(this) ? new ValueTask<SocketResult>(this, _core.Version) : new ValueTask<SocketResult>(Result());
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => _core.SetResult(Result());

    private SocketResult Result() => new(SocketError == SocketError.Success ? BytesTransferred : 0, SocketError);

    SocketResult IValueTaskSource<SocketResult>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<SocketResult>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<SocketResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
