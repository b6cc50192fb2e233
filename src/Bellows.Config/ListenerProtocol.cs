// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Transport protocol of a listener. UDP is added by a later issue, so switch over this enum exhaustively.</summary>
public enum ListenerProtocol
{
    /// <summary>JSON <c>"tcp"</c>.</summary>
    Tcp,
}
