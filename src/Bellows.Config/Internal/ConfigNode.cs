// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>A JSON value as parsed, with where it starts, so that binding can point at it.</summary>
internal abstract class ConfigNode(NodeKind kind, TextPosition position)
{
    public NodeKind Kind { get; } = kind;

    public TextPosition Position { get; } = position;

    /// <summary>The kind as a message puts it: "expected an integer, found a string".</summary>
    public string Description => Kind switch
    {
        NodeKind.Object => "an object",
        NodeKind.Array => "an array",
        NodeKind.String => "a string",
        NodeKind.Number => "a number",
        NodeKind.Boolean => "a boolean",
        _ => "null",
    };
}
