// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Host.Commands;

/// <summary>Options after the command name: `--name value`, `--flag`, and positional words.</summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandArguments(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                int eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _options[a[..eq]] = a[(eq + 1)..];
                }
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    _options[a] = list[++i];
                }
                else
                {
                    _options[a] = null;
                }
            }
            else
            {
                _positional.Add(a);
            }
        }
    }

    public IReadOnlyList<string> Positional => _positional;

    public bool Flag(string name)
    {
        _used.Add(name);
        if (_options.TryGetValue(name, out var value))
        {
            if (value is not null)
            {
                // "--once x": the word after a flag is positional, not a value.
                _positional.Add(value);
                _options[name] = null;
            }

            return true;
        }

        return false;
    }

    public string? Value(string name)
    {
        _used.Add(name);
        if (_options.TryGetValue(name, out var value))
        {
            return value ?? throw new CommandLineException($"{name} needs a value");
        }

        return null;
    }

    /// <summary>Fails on options the command did not ask for (typos).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CommandLineException("unknown option " + string.Join(", ", unknown));
        }
    }
}
