// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Tls;

/// <summary>
/// Server names whose TLS is relayed untouched. <c>bank.example</c> matches itself and every name below it on a
/// label boundary; <c>*.bank.example</c> only names below it. Case-insensitive; a trailing dot is ignored.
/// </summary>
public sealed class SniBypassList
{
    private readonly HashSet<string> _withSelf = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _belowOnly = new(StringComparer.OrdinalIgnoreCase);

    public SniBypassList(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var raw in entries)
        {
            var entry = raw.Trim().TrimEnd('.');
            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                _belowOnly.Add(entry[2..]);
            }
            else if (entry.Length > 0)
            {
                _withSelf.Add(entry);
            }
        }
    }

    public bool IsEmpty => _withSelf.Count == 0 && _belowOnly.Count == 0;

    public bool Matches(string? serverName)
    {
        if (serverName is null || IsEmpty)
        {
            return false;
        }

        var name = serverName.TrimEnd('.');
        if (_withSelf.Contains(name))
        {
            return true;
        }

        // Walk the parents: www.a.example → a.example → example.
        for (int dot = name.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = name.IndexOf('.', dot + 1))
        {
            var parent = name[(dot + 1)..];
            if (_withSelf.Contains(parent) || _belowOnly.Contains(parent))
            {
                return true;
            }
        }

        return false;
    }
}
