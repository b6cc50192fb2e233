// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Workers;

/// <summary>
/// Power-of-two-choices: sample two workers, take the one with less load (live sessions plus queued hand-offs).
/// Nearly as even as scanning for the minimum, but O(1), and two acceptors that read the same stale counters
/// do not all pile onto the same "least loaded" worker.
/// </summary>
public sealed class WorkerSelector
{
    private readonly Random _random;

    public WorkerSelector(Random random) => _random = random;

    public int Choose(IReadOnlyList<ILoadReporter> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        int count = workers.Count;
        if (count <= 1)
        {
            return 0;
        }

        int a = _random.Next(count);
        int b = _random.Next(count - 1);
        if (b >= a)
        {
            b++;
        }

        return workers[b].Load < workers[a].Load ? b : a;
    }
}
