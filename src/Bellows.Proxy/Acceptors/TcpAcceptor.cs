// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Threading.Channels;
using Bellows.Proxy.Workers;
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
    private readonly ChannelWriter<Socket>[] _outboxes;
    private readonly Worker[] _workers;
    private readonly SessionBudget _budget;
    private readonly WorkerSelector _selector;
    private readonly ILogger _logger;
    private readonly string _listener;
    private long _accepted;
    private long _rejected;
    private long _errors;

    public TcpAcceptor(int index, string listener, Socket listenSocket, ChannelWriter<Socket>[] outboxes, Worker[] workers,
        SessionBudget budget, ILogger logger)
    {
        Index = index;
        _listener = listener;
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

        int first = _selector.Choose(_workers);
        if (TryWrite(first, client))
        {
            return;
        }

        for (int j = 0; j < _workers.Length; j++)
        {
            if (j != first && TryWrite(j, client))
            {
                return;
            }
        }

        _budget.Release();
        Reject(client, "all worker queues full");
    }

    private bool TryWrite(int worker, Socket client)
    {
        _workers[worker].NoteQueued();
        if (_outboxes[worker].TryWrite(client))
        {
            return true;
        }

        _workers[worker].NoteQueueRejected();
        return false;
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
