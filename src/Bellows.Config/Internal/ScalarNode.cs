// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>
/// A string, number, boolean or null. <see cref="Text"/> is the decoded string, the number exactly as written,
/// or <c>true</c>, <c>false</c>, <c>null</c>.
/// </summary>
internal sealed class ScalarNode(NodeKind kind, TextPosition position, string text) : ConfigNode(kind, position)
{
    public string Text { get; } = text;
}
