// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal sealed class ArrayNode(TextPosition position, IReadOnlyList<ConfigNode> items) : ConfigNode(NodeKind.Array, position)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;
}
