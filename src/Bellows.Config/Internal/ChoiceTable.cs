// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>The allowed strings of an enum-like key and the value each one means.</summary>
internal sealed class ChoiceTable<T>(StringComparison comparison, params (string Name, T Value)[] choices)
{
    /// <summary>The allowed strings, for messages: <c>tproxy, redirect</c>.</summary>
    public string Names { get; } = string.Join(", ", choices.Select(c => c.Name));

    public bool TryGet(string text, out T value)
    {
        foreach (var (name, choice) in choices)
        {
            if (string.Equals(name, text, comparison))
            {
                value = choice;
                return true;
            }
        }

        value = default!;
        return false;
    }
}
