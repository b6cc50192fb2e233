// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>Applies an object's keys to a record through a <see cref="FieldTable{T}"/>, reporting every problem.</summary>
internal static class ObjectBinder
{
    // Keys within this many edits of a known key get a "did you mean" hint.
    private const int SuggestionDistance = 2;

    public static T Bind<T>(ObjectNode node, string path, T seed, FieldTable<T> table, DiagnosticBag diagnostics)
    {
        var result = seed;
        foreach (var property in node.Properties)
        {
            var keyPath = ConfigPath.Child(path, property.Name);
            if (table.TryGet(property.Name, out var apply))
            {
                result = apply(result, new FieldValue(property.Value, keyPath, diagnostics));
            }
            else if (ForeignKeys.TryGetWarning(table.Section, property.Name, out var warning))
            {
                diagnostics.Warning(property.NamePosition, keyPath, warning);
            }
            else
            {
                diagnostics.Error(property.NamePosition, keyPath, UnknownKey(property.Name, table));
            }
        }

        foreach (var key in table.Required)
        {
            if (node.Find(key) is null)
            {
                diagnostics.Error(node.Position, ConfigPath.Child(path, key), $"required key '{key}' is missing");
            }
        }

        return result;
    }

    private static string UnknownKey<T>(string name, FieldTable<T> table)
    {
        var closest = EditDistance.Closest(name, table.Keys, SuggestionDistance);
        return closest is null
            ? $"unknown key '{name}'; known keys are {string.Join(", ", table.Keys)}"
            : $"unknown key '{name}'; did you mean '{closest}'?";
    }
}
