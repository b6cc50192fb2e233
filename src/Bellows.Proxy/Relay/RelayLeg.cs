// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Sessions;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>
/// One side of a relayed session as the relay sees it: a byte stream that can be waited on without a buffer,
/// read, written, half-closed (FIN) and aborted (RST).
/// </summary>
/// <remarks>
/// The relay only ever talks to legs, so later stages slot in between the client and the server without
/// touching the relay: a TLS-terminating leg wraps the socket leg in SslStream, a capturing leg copies what
/// passes. A socket failure comes back as the <see cref="SocketResult.Error"/> of the operation, not as an
/// exception (resets are everyday events, and an exception per connection is measurable), so the relay can tell
/// resets from aborts; an <see cref="IOException"/> that is not a socket error (a TLS record that does not
/// decrypt, a truncated stream) is thrown and ends the session as a protocol error.
/// </remarks>
public abstract class RelayLeg : IDisposable
{
    protected RelayLeg(CloseSide side) => Side = side;

    /// <summary>The party at the far end of this leg, used to name who ended the session.</summary>
    public CloseSide Side { get; }

    /// <summary>
    /// True when the leg does its socket I/O through the <see cref="SocketOperation"/> the relay passes in: one per
    /// relay direction, which only ever does one thing at a time (wait, receive from its source, send to its
    /// destination), so a session needs two however many legs are plain sockets.
    /// </summary>
    public abstract bool UsesSocketOperation { get; }

    /// <summary>Completes when data (or end of stream) can be read, or the leg failed; holds no buffer while it waits.</summary>
    public abstract ValueTask<SocketResult> WaitReadableAsync(SocketOperation? operation);

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes; 0 bytes means the peer sent FIN.</summary>
    public abstract ValueTask<SocketResult> ReceiveAsync(Memory<byte> buffer, SocketOperation? operation);

    /// <summary>True when a read would complete at once: the relay keeps its buffer only then.</summary>
    public abstract bool HasBufferedData { get; }

    /// <summary>Writes all of <paramref name="data"/>; completes when the kernel has accepted it (back-pressure).</summary>
    public abstract ValueTask<SocketResult> SendAsync(ReadOnlyMemory<byte> data, SocketOperation? operation);

    /// <summary>Half-close: tell the peer no more data will come (FIN; for TLS a close_notify first); reading goes on.</summary>
    public abstract ValueTask ShutdownSendAsync();

    /// <summary>Abort with RST and release the leg.</summary>
    public abstract void Reset();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
