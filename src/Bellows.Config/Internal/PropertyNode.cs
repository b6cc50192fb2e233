// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>A key and its value; <see cref="NamePosition"/> is where the key's opening quote is.</summary>
internal sealed class PropertyNode(string name, TextPosition namePosition, ConfigNode value)
{
    public string Name { get; } = name;

    public TextPosition NamePosition { get; } = namePosition;

    public ConfigNode Value { get; } = value;
}
