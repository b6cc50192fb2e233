// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Relay;

/// <summary>Counts nothing: the accounting of a session before a worker owns it.</summary>
internal sealed class NoAccounting : IRelayAccounting
{
    public static readonly NoAccounting Instance = new();

    public void AddBytes(long count)
    {
    }
}
