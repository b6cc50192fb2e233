// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Threading.Channels;

namespace Bellows.Proxy.Workers;

/// <summary>
/// The N×M hand-off channels of one listener: acceptor i owns row i and is the only writer of each channel in
/// it; worker j owns column j and is the only reader of each channel in it. No channel is shared by two
/// acceptors or two workers, so the hot path takes no shared lock (Smithproxy's single FdQueue serialises all
/// acceptors and workers of a listener on one mutex).
/// </summary>
public sealed class HandoffMesh<T>
{
    private readonly Channel<T>[,] _channels;

    public HandoffMesh(int acceptors, int workers, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(acceptors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Acceptors = acceptors;
        Workers = workers;
        _channels = new Channel<T>[acceptors, workers];
        var options = new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
            // The worker's read loop runs on the writing acceptor's thread: starting a session (destination,
            // socket, non-blocking connect) is short, and a thread-pool wake-up per connection was not
            // (docs/architecture.md, Hand-off mesh).
            AllowSynchronousContinuations = true,
        };
        for (int i = 0; i < acceptors; i++)
        {
            for (int j = 0; j < workers; j++)
            {
                _channels[i, j] = Channel.CreateBounded<T>(options);
            }
        }
    }

    public int Acceptors { get; }

    public int Workers { get; }

    public ChannelWriter<T>[] WritersOf(int acceptor) =>
        Enumerable.Range(0, Workers).Select(j => _channels[acceptor, j].Writer).ToArray();

    public ChannelReader<T>[] ReadersOf(int worker) =>
        Enumerable.Range(0, Acceptors).Select(i => _channels[i, worker].Reader).ToArray();

    public void Complete()
    {
        foreach (var channel in _channels)
        {
            channel.Writer.TryComplete();
        }
    }
}
