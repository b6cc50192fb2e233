// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Threading.Channels;
using Bellows.Proxy.Sessions;

namespace Bellows.Proxy.Workers;

/// <summary>An acceptor's side of the hand-off: pick a light worker, fall back to any with room.</summary>
internal static class Handoff
{
    public static bool TryDispatch(WorkerSelector selector, Worker[] workers, ChannelWriter<IProxySession>[] outboxes, IProxySession session)
    {
        int first = selector.Choose(workers);
        if (TryWrite(workers[first], outboxes[first], session))
        {
            return true;
        }

        for (int j = 0; j < workers.Length; j++)
        {
            if (j != first && TryWrite(workers[j], outboxes[j], session))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryWrite(Worker worker, ChannelWriter<IProxySession> outbox, IProxySession session)
    {
        worker.NoteQueued();
        if (outbox.TryWrite(session))
        {
            return true;
        }

        worker.NoteQueueRejected();
        return false;
    }
}
