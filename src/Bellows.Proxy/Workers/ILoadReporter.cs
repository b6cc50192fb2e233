// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Workers;

/// <summary>Anything that can say how busy it is, for <see cref="WorkerSelector"/>.</summary>
public interface ILoadReporter
{
    long Load { get; }
}
