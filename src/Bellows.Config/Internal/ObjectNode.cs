// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>An object whose keys are unique: the parser reports and drops repeated keys.</summary>
internal sealed class ObjectNode(TextPosition position, IReadOnlyList<PropertyNode> properties) : ConfigNode(NodeKind.Object, position)
{
    public IReadOnlyList<PropertyNode> Properties { get; } = properties;

    public PropertyNode? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>Where the value of <paramref name="name"/> is, or the object itself when the key is absent.</summary>
    public TextPosition PositionOf(string name) => Find(name)?.Value.Position ?? Position;
}
