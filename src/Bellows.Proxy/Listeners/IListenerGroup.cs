// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Sessions;

namespace Bellows.Proxy.Listeners;

/// <summary>A configured listener with its acceptors (or receivers) and workers, as the proxy drives it.</summary>
public interface IListenerGroup : IDisposable
{
    IEnumerable<string> EndPoints { get; }

    void Start();

    /// <summary>Stops taking new connections or flows.</summary>
    Task StopAcceptingAsync();

    void AbortAll(CloseReason reason);

    Task StopWorkersAsync();

    ListenerStatistics GetStatistics();
}
