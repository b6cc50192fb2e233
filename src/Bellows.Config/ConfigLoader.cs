// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Security;
using System.Text;
using Bellows.Config.Internal;

namespace Bellows.Config;

/// <summary>
/// Loads the Bellows config: JSON with comments and trailing commas, keys in snake_case. The whole file is
/// validated and every problem is reported at once, each with its line, column and key path.
/// </summary>
/// <remarks>
/// 1. Parse the text into a node tree that records where each key and value starts (a syntax error stops here).
/// 2. Bind the tree to the records through one table of keys per section, starting from the defaults.
/// 3. Check the rules that span listeners, then those that span sections.
/// </remarks>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; a file that cannot be read gives one error on line 0.</summary>
    public static ConfigResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException
                                       or NotSupportedException or SecurityException)
        {
            var error = new ConfigDiagnostic(path, 0, 0, ConfigPath.Root, "cannot read the config file: " + ex.Message);
            return new ConfigResult(null, [error], []);
        }

        return Parse(text, path);
    }

    /// <summary>Parses config text; <paramref name="source"/> names it in diagnostics.</summary>
    public static ConfigResult Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);

        var diagnostics = new DiagnosticBag(source);

        // File.ReadAllText drops a byte-order mark, but text from elsewhere may still start with one.
        var utf8 = Encoding.UTF8.GetBytes(text.StartsWith('\uFEFF') ? text[1..] : text);

        // :: Step 1
        var root = JsoncParser.Parse(utf8, diagnostics);

        if (root is null)
        {
            return diagnostics.ToResult(null);
        }

        // :: Steps 2 and 3 (the listener rules run as the listeners are bound)
        var config = ObjectBinder.Bind(root, "", BellowsConfig.Default, RootFields.Table, diagnostics);
        DnsRedirectRule.Check(root, config, diagnostics);
        return diagnostics.ToResult(config);
    }
}
