// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Transport.Sockets;

/// <summary>Which of two connected sockets has data to read first.</summary>
public enum Speaker
{
    /// <summary>Nobody within the time allowed.</summary>
    Nobody,
    First,
    Second,
}

/// <summary>
/// Waits until one of two sockets has data (or its end of stream) to read, without reading it, and says which.
/// </summary>
/// <remarks>
/// Why not two zero-byte <c>Socket.ReceiveAsync</c> calls with a cancellation token: cancelling the loser makes
/// .NET throw an OperationCanceledException for it on every connection (about 1.5 % of Bellows' CPU on a
/// <c>tls: detect</c> listener under load). Here each side waits through a <see cref="SocketOperation"/>, which
/// reports instead of throwing, and the loser is not cancelled: its zero-byte receive stays queued on its socket
/// and completes harmlessly (reading nothing) before the next receive on that socket, or when the socket closes.
/// Its operation is disposed then.
/// </remarks>
public static class FirstSpeaker
{
    public static async Task<Speaker> WaitAsync(Socket first, Socket second, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var fromFirst = WaitReadableAsync(first);
        var fromSecond = WaitReadableAsync(second);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var expired = Task.Delay(timeout, stop.Token);
        var winner = await Task.WhenAny(fromFirst, fromSecond, expired).ConfigureAwait(false);

        // Ends the timer now rather than when it fires (a delay ended this way completes as cancelled, nothing thrown).
        await stop.CancelAsync().ConfigureAwait(false);
        return winner == fromFirst ? Speaker.First : winner == fromSecond ? Speaker.Second : Speaker.Nobody;
    }

    /// <summary>A zero-byte receive whose operation disposes itself when it completes, whoever is still waiting for it.</summary>
    private static Task WaitReadableAsync(Socket socket)
    {
        var operation = new SocketOperation();
        var wait = operation.ReceiveAsync(socket, Memory<byte>.Empty).AsTask();
        _ = wait.ContinueWith(static (_, state) => ((SocketOperation)state!).Dispose(), operation,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return wait;
    }
}
