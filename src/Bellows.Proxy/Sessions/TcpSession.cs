// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bellows.Config;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Relay;
using Bellows.Proxy.Tls;
using Bellows.Transport.Buffers;
using Bellows.Proxy.Workers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Sessions;

/// <summary>
/// One intercepted TCP connection, owned by one worker from hand-off to close.
/// </summary>
/// <remarks>
/// 1. find the original destination (TPROXY: the accepted socket's local address; REDIRECT: SO_ORIGINAL_DST);
/// 2. connect to it, from Bellows' address (nat auto) or from the client's own address and port (nat none),
///    within the connect timeout; on failure the client gets an RST at once;
/// 3. on a TLS-aware listener, run the TLS stage (<see cref="TlsSessionStage"/>): it yields TLS legs, or a plain
///    relay with the bytes it read forwarded first, or ends the session;
/// 4. relay both ways until both directions end (<see cref="DuplexRelay"/>);
/// 5. report a <see cref="SessionRecord"/> with the first close reason.
/// </remarks>
public sealed class TcpSession : IProxySession
{
    private readonly Socket _client;
    private readonly ListenerSettings _listener;
    private readonly PinnedBufferPool _pool;
    private readonly TlsInspector? _tls;
    private TlsSessionInfo? _tlsInfo;
    private IRelayAccounting _accounting = NoAccounting.Instance;
    private readonly long _started = Stopwatch.GetTimestamp();
    private CancellationTokenSource? _connecting;
    private FirstCloseReason _earlyReason;
    private DuplexRelay? _relay;
    private IPEndPoint? _destination;

    public TcpSession(Socket client, ListenerSettings listener, PinnedBufferPool pool, TlsInspector? tls = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _tls = listener.Tls == TlsListenerMode.Off ? null : tls;
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _listener = listener;
        _pool = pool;
        Id = SessionIds.Next();
        ClientEndPoint = SafeRemote(client);
    }

    public long Id { get; }

    public int Worker { get; private set; } = -1;

    public TimeSpan IdleTimeout => _listener.IdleTimeout;

    /// <summary>Set when the session has ended.</summary>
    public SessionRecord? Record { get; private set; }

    public IPEndPoint ClientEndPoint { get; }

    /// <summary>Tick of the last activity; the worker's idle scan compares it with the idle timeout.</summary>
    public long LastActivity => _relay?.LastActivity ?? long.MaxValue;

    public async Task RunAsync(Worker owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Worker = owner.Index;
        _accounting = owner;
        Record = await RunCoreAsync().ConfigureAwait(false);
    }

    public void LogClosed(ILogger logger)
    {
        if (Record is not null)
        {
            SessionLog.Closed(logger, Record);
        }
    }

    public void Reject() => SocketCloser.Reset(_client);

    private async Task<SessionRecord> RunCoreAsync()
    {
        Socket? server = null;

        // Connects the server socket, then serves the relay's server-to-client direction (which owns it from then on).
        SocketOperation? operation = new();
        try
        {
            // :: Step 1
            _destination = FindDestination();
            if (_destination is null || PointsAtListener(_destination))
            {
                _earlyReason.TrySet(new CloseReason(CloseSide.Proxy, CloseKind.NoDestination));
                SocketCloser.Reset(_client);
                return CreateRecord();
            }

            // :: Step 2
            server = await ConnectAsync(_destination, operation).ConfigureAwait(false);
            if (server is null)
            {
                SocketCloser.Reset(_client);
                return CreateRecord();
            }

            // :: Step 3
            RelayLeg clientLeg = new SocketLeg(_client, CloseSide.Client);
            RelayLeg serverLeg = new SocketLeg(server, CloseSide.Server);
            // A plain listener's session whose client already spoke, and not TLS, skips the TLS stage entirely:
            // one peek, no allocation (most plain sessions: the connect took a round trip).
            if (_tls is not null && !(_listener.Tls == TlsListenerMode.Detect && TlsSessionStage.PeekFirstBytes(_client) == FirstBytes.Other))
            {
                var stage = await RunTlsStageAsync(_tls, server, _destination).ConfigureAwait(false);
                if (!stage.Failure.IsNone)
                {
                    _earlyReason.TrySet(stage.Failure);
                    SocketCloser.Reset(_client);
                    server.Dispose();
                    return CreateRecord();
                }

                if (stage.ClientLeg is not null)
                {
                    (clientLeg, serverLeg) = (stage.ClientLeg, stage.ServerLeg!);
                }
                else if (!stage.ForwardFirst.IsEmpty)
                {
                    await server.SendAsync(stage.ForwardFirst, SocketFlags.None).ConfigureAwait(false);
                }
            }

            // :: Step 4
            _relay = new DuplexRelay(clientLeg, serverLeg, _pool, _accounting, operation);
            operation = null;
            if (!_earlyReason.Value.IsNone)
            {
                _relay.Abort(_earlyReason.Value);
            }

            await _relay.RunAsync().ConfigureAwait(false);
            return CreateRecord();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Anything a session meets (a socket error, a TLS library surprise on hostile input) ends that
            // session alone, with both sockets closed: nothing may leak a descriptor or reach the worker.
            _earlyReason.TrySet(e switch
            {
                SocketException se => CloseReason.FromSocketError(CloseSide.Proxy, se.SocketErrorCode),
                ObjectDisposedException or OperationCanceledException => new CloseReason(CloseSide.Proxy, CloseKind.Shutdown),
                _ => new CloseReason(CloseSide.Proxy, CloseKind.Error),
            });
            SocketCloser.Reset(_client);
            server?.Dispose();
            return CreateRecord();
        }
        finally
        {
            operation?.Dispose();
        }
    }

    private async Task<TlsStageResult> RunTlsStageAsync(TlsInspector tls, Socket server, IPEndPoint destination)
    {
        var stage = new TlsSessionStage(tls, _listener, _client, server, ClientEndPoint, destination);

        // Abort() cancels this while the stage runs (idle scan, shutdown), as it cancels a pending connect.
        using var staging = new CancellationTokenSource();
        Volatile.Write(ref _connecting, staging);
        try
        {
            return await stage.RunAsync(staging.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return TlsStageResult.Failed(_earlyReason.Value.IsNone ? new CloseReason(CloseSide.Proxy, CloseKind.Shutdown) : _earlyReason.Value);
        }
        finally
        {
            Volatile.Write(ref _connecting, null);

            // A session "detect" found not to be TLS logs the plain line.
            _tlsInfo = stage.Info.Outcome == "plain" ? null : stage.Info;
        }
    }

    /// <summary>Ends the session from the outside (idle timeout, shutdown deadline).</summary>
    public void Abort(CloseReason reason)
    {
        var relay = Volatile.Read(ref _relay);
        if (relay is not null)
        {
            relay.Abort(reason);
            return;
        }

        if (_earlyReason.TrySet(reason))
        {
            try
            {
                Volatile.Read(ref _connecting)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Connect already finished; the relay sees the reason when it starts.
            }
        }
    }

    private IPEndPoint? FindDestination()
    {
        IPEndPoint? destination = _listener.Mode == ListenerMode.Redirect
            ? LinuxSocketOptions.GetOriginalDestination(_client)
            : _client.LocalEndPoint as IPEndPoint;
        if (destination is null)
        {
            return null;
        }

        return SockAddr.Unmap(destination);
    }

    /// <summary>A connection addressed to the listener itself (not diverted) would make Bellows connect to itself.</summary>
    private bool PointsAtListener(IPEndPoint destination) => destination.Port == _listener.Port;

    private async Task<Socket?> ConnectAsync(IPEndPoint destination, SocketOperation operation)
    {
        var server = new Socket(destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);

        // The timeout's timer lives only while connecting: a CTS kept for the whole session would leave
        // one pending timer per connection behind. Cancelling closes the socket, which ends the connect.
        using var connecting = new CancellationTokenSource(_listener.ConnectTimeout);
        Volatile.Write(ref _connecting, connecting);
        try
        {
            if (_listener.NoDelay)
            {
                server.NoDelay = true;
                _client.NoDelay = true;
            }

            if (_listener.UpstreamMark != 0)
            {
                LinuxSocketOptions.SetMark(server, _listener.UpstreamMark);
            }

            if (_listener.Nat == NatMode.None && ClientEndPoint.AddressFamily == destination.AddressFamily)
            {
                // Spoof the client: the server sees the client's own address and port.
                LinuxSocketOptions.SetTransparent(server);
                server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                server.Bind(ClientEndPoint);
            }

            SocketResult result;
            using (connecting.Token.UnsafeRegister(static state => Socket.CancelConnectAsync((SocketAsyncEventArgs)state!), operation))
            {
                result = await operation.ConnectAsync(server, destination).ConfigureAwait(false);
            }

            if (result.Succeeded)
            {
                return server;
            }

            _earlyReason.TrySet(connecting.IsCancellationRequested
                ? new CloseReason(CloseSide.Server, CloseKind.ConnectTimeout)
                : CloseReason.FromSocketError(CloseSide.Server, result.Error));
        }
        catch (SocketException e)
        {
            _earlyReason.TrySet(CloseReason.FromSocketError(CloseSide.Server, e.SocketErrorCode));
        }
        finally
        {
            Volatile.Write(ref _connecting, null);
        }

        server.Dispose();
        return null;
    }

    private SessionRecord CreateRecord()
    {
        var reason = _relay is { Reason.IsNone: false } relay ? relay.Reason : _earlyReason.Value;

        return new SessionRecord(Id, _listener.Name, Worker, ClientEndPoint, _destination,
            _relay?.BytesUp ?? 0, _relay?.BytesDown ?? 0, Stopwatch.GetElapsedTime(_started), reason, _tlsInfo);
    }

    private static IPEndPoint SafeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint is IPEndPoint remote ? SockAddr.Unmap(remote) : new IPEndPoint(IPAddress.None, 0);
        }
        catch (SocketException)
        {
            return new IPEndPoint(IPAddress.None, 0);
        }
    }
}
