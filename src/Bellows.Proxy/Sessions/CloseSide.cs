// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Sessions;

/// <summary>Which party caused a session to end.</summary>
public enum CloseSide : byte
{
    None,
    Client,
    Server,
    Proxy,
}
