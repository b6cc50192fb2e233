// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Relay;

/// <summary>Where a relay reports the bytes it moved (a worker's counters).</summary>
public interface IRelayAccounting
{
    void AddBytes(long count);
}
