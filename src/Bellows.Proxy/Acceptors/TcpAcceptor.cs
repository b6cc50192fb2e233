// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Threading.Channels;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Workers;
using Bellows.Transport.Buffers;
using Bellows.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Acceptors;

/// <summary>
/// Accepts connections from one listening socket and hands each to a lightly loaded worker through this
/// acceptor's own row of the hand-off mesh.
/// </summary>
/// <remarks>
/// Accept errors are tiered (as Garnet and Kestrel do): resource pressure (EMFILE, ENFILE, ENOBUFS) backs off
/// exponentially up to one second and retries; a peer that reset before accept completed is ignored; closing
/// the listening socket ends the loop. A connection that exceeds the session budget, or finds every worker's
/// channel full, is reset at once, so the client learns immediately instead of timing out.
/// </remarks>
public sealed class TcpAcceptor
{
    private const int MaxBackoffMs = 1000;

    private readonly Socket _listenSocket;
    private readonly ChannelWriter<IProxySession>[] _outboxes;
    private readonly ListenerSettings _settings;
    private readonly PinnedBufferPool _pool;
    private readonly Worker[] _workers;
    private readonly SessionBudget _budget;
    private readonly WorkerSelector _selector;
    private readonly ILogger _logger;
    private readonly string _listener;
    private long _accepted;
    private long _rejected;
    private long _errors;

    public TcpAcceptor(int index, ListenerSettings settings, Socket listenSocket, ChannelWriter<IProxySession>[] outboxes, Worker[] workers,
        SessionBudget budget, PinnedBufferPool pool, ILogger logger)
    {
        Index = index;
        _settings = settings;
        _pool = pool;
        _listener = settings.Name;
        _listenSocket = listenSocket;
        _outboxes = outboxes;
        _workers = workers;
        _budget = budget;
        _logger = logger;
        _selector = new WorkerSelector(new Random(unchecked(Environment.TickCount * 31 + index)));
        EndPoint = listenSocket.LocalEndPoint?.ToString() ?? "?";
    }

    public int Index { get; }

    public string EndPoint { get; }

    public AcceptorStatistics GetStatistics() =>
        new(Index, EndPoint, Volatile.Read(ref _accepted), Volatile.Read(ref _rejected), Volatile.Read(ref _errors));

    public async Task RunAsync(CancellationToken stopping)
    {
        int backoff = 0;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listenSocket.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }
            catch (SocketException e) when (SocketErrorClassifier.IsResourcePressure(e.SocketErrorCode))
            {
                Interlocked.Increment(ref _errors);
                backoff = Math.Clamp(backoff * 2, 10, MaxBackoffMs);
                AcceptorLog.AcceptPressure(_logger, _listener, e.SocketErrorCode, backoff);
                await Task.Delay(backoff, stopping).ConfigureAwait(false);
                continue;
            }
            catch (SocketException e)
            {
                Interlocked.Increment(ref _errors);
                AcceptorLog.AcceptError(_logger, _listener, e.SocketErrorCode);
                continue;
            }

            backoff = 0;
            Interlocked.Increment(ref _accepted);
            HandOff(client);
        }
    }

    private void HandOff(Socket client)
    {
        if (!_budget.TryAcquire())
        {
            Reject(client, "session limit reached");
            return;
        }

        TcpSession session;
        try
        {
            session = new TcpSession(client, _settings, _pool, _settings.Inspector);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client went away between accept and hand-off.
            _budget.Release();
            SocketCloser.Reset(client);
            return;
        }

        if (!Handoff.TryDispatch(_selector, _workers, _outboxes, session))
        {
            _budget.Release();
            Reject(client, "all worker queues full");
        }
    }

    private void Reject(Socket client, string why)
    {
        Interlocked.Increment(ref _rejected);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            string peer;
            try
            {
                peer = client.RemoteEndPoint?.ToString() ?? "?";
            }
            catch (SocketException)
            {
                peer = "?";
            }

            AcceptorLog.SessionRejected(_logger, _listener, peer, why);
        }

        SocketCloser.Reset(client);
    }
}
