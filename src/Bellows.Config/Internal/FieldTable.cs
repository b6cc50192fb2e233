// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Bellows.Config.Internal;

/// <summary>
/// The keys of one JSON object and how each one updates the record being built. Written as a collection
/// initializer: <c>{ "port", (c, v) => … }</c>.
/// </summary>
/// <param name="section">The schema location for <see cref="ForeignKeys"/>: "" for the root, "relay", "listeners[]".</param>
/// <param name="required">Keys that must be present.</param>
internal sealed class FieldTable<T>(string section, params string[] required) : IEnumerable<string>
{
    private readonly Dictionary<string, Func<T, FieldValue, T>> _fields = new(StringComparer.Ordinal);

    public string Section => section;

    public IReadOnlyList<string> Required => required;

    public IReadOnlyCollection<string> Keys => _fields.Keys;

    public void Add(string key, Func<T, FieldValue, T> apply) => _fields.Add(key, apply);

    public bool TryGet(string key, [MaybeNullWhen(false)] out Func<T, FieldValue, T> apply) =>
        _fields.TryGetValue(key, out apply);

    public IEnumerator<string> GetEnumerator() => _fields.Keys.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
