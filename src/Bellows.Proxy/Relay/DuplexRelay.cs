// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Proxy.Sessions;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Relay;

/// <summary>
/// Moves bytes both ways between two legs with back-pressure, half-close and reset propagation.
/// </summary>
/// <remarks>
/// <code>
///   client leg ──(up: client→server)──▶ server leg
///   client leg ◀──(down: server→client)── server leg
/// </code>
/// Each direction is one loop:
/// 1. wait until the source is readable, holding no buffer;
/// 2. rent a pinned buffer, read, write it all to the destination (a slow reader stalls this loop, and so the
///    sender: at most one buffer per direction is ever in flight);
/// 3. keep the buffer only while the source has more bytes ready, else give it back and go to 1;
/// 4. end of stream: send FIN the same way and let the other direction go on (true half-close);
///    a reset or error on either side: record it and reset the other side.
/// The session is over when both directions have ended.
/// </remarks>
public sealed class DuplexRelay
{
    private readonly RelayLeg _client;
    private readonly RelayLeg _server;
    private readonly PinnedBufferPool _pool;
    private readonly IRelayAccounting _accounting;
    private SocketOperation? _serverOperation;
    private FirstCloseReason _reason;
    private long _bytesUp;
    private long _bytesDown;
    private long _lastActivity;
    private int _openDirections = 2;
    private int _released;

    /// <param name="serverOperation">The operation that connected the server socket, for the server-to-client
    /// direction (the relay owns it from here); null: each direction makes its own.</param>
    public DuplexRelay(RelayLeg client, RelayLeg server, PinnedBufferPool pool, IRelayAccounting accounting, SocketOperation? serverOperation = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(accounting);
        _client = client;
        _server = server;
        _pool = pool;
        _accounting = accounting;
        _serverOperation = serverOperation;
        _lastActivity = Environment.TickCount64;
    }

    public long BytesUp => Volatile.Read(ref _bytesUp);

    public long BytesDown => Volatile.Read(ref _bytesDown);

    /// <summary>Environment.TickCount64 of the last byte moved either way.</summary>
    public long LastActivity => Volatile.Read(ref _lastActivity);

    public CloseReason Reason => _reason.Value;

    public Task RunAsync() => Task.WhenAll(PumpAsync(_client, _server, upstream: true), PumpAsync(_server, _client, upstream: false));

    /// <summary>Ends the session from outside (idle timeout, shutdown): both sides get a reset.</summary>
    public void Abort(CloseReason reason)
    {
        _reason.TrySet(reason);
        ReleaseLegs(reset: true);
    }

    private async Task PumpAsync(RelayLeg source, RelayLeg destination, bool upstream)
    {
        byte[]? buffer = null;
        bool sending = false;

        // Disposed when this direction ends: by then none of its operations is in flight.
        var given = upstream ? null : Interlocked.Exchange(ref _serverOperation, null);
        bool usesOperation = source.UsesSocketOperation || destination.UsesSocketOperation;
        if (!usesOperation)
        {
            given?.Dispose();
        }

        using var operation = usesOperation ? given ?? new SocketOperation() : null;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // :: Step 1
                    var ready = await source.WaitReadableAsync(operation).ConfigureAwait(false);
                    if (!ready.Succeeded)
                    {
                        Fail(source.Side, ready.Error);
                        break;
                    }

                    buffer = _pool.Rent();
                }

                // :: Step 2
                var received = await source.ReceiveAsync(buffer, operation).ConfigureAwait(false);
                if (!received.Succeeded)
                {
                    Fail(source.Side, received.Error);
                    break;
                }

                int read = received.Bytes;
                if (read == 0)
                {
                    // :: Step 4
                    _reason.TrySet(new CloseReason(source.Side, CloseKind.Fin));
                    await destination.ShutdownSendAsync().ConfigureAwait(false);
                    break;
                }

                sending = true;
                var sent = await destination.SendAsync(buffer.AsMemory(0, read), operation).ConfigureAwait(false);
                sending = false;
                if (!sent.Succeeded)
                {
                    Fail(destination.Side, sent.Error);
                    break;
                }

                Account(upstream, read);

                // :: Step 3
                if (read < buffer.Length || !source.HasBufferedData)
                {
                    var done = buffer;
                    buffer = null;
                    _pool.Return(done);
                }
            }
        }
        catch (SocketException e)
        {
            Fail(sending ? destination.Side : source.Side, e.SocketErrorCode);
        }
        catch (IOException e) when (e.InnerException is SocketException inner)
        {
            Fail(sending ? destination.Side : source.Side, inner.SocketErrorCode);
        }
        catch (IOException)
        {
            // Not a socket error: a TLS leg met a record it cannot decrypt or a stream cut mid-record.
            _reason.TrySet(new CloseReason(sending ? destination.Side : source.Side, CloseKind.TlsError));
            ReleaseLegs(reset: true);
        }
        catch (ObjectDisposedException)
        {
            // The other direction or the worker released the legs; its reason is already recorded.
        }
        finally
        {
            if (buffer is not null)
            {
                _pool.Return(buffer);
            }
        }

        if (Interlocked.Decrement(ref _openDirections) == 0)
        {
            ReleaseLegs(reset: false);
        }
    }

    private void Account(bool upstream, int read)
    {
        if (upstream)
        {
            _bytesUp += read;
        }
        else
        {
            _bytesDown += read;
        }

        Volatile.Write(ref _lastActivity, Environment.TickCount64);
        _accounting.AddBytes(read);
    }

    private void Fail(CloseSide side, SocketError error)
    {
        if (error != SocketError.OperationAborted)
        {
            _reason.TrySet(CloseReason.FromSocketError(side, error));
        }

        // A reset travels on: the other party learns of it as a reset, not as a clean end.
        ReleaseLegs(reset: true);
    }

    private void ReleaseLegs(bool reset)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        if (reset)
        {
            _client.Reset();
            _server.Reset();
        }
        else
        {
            _client.Dispose();
            _server.Dispose();
        }
    }
}
