// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>
/// Checks a server-name pattern of <c>tls.profile.bypass_sni</c>: a DNS name (<c>bank.example</c>) or one with a
/// leading wildcard label (<c>*.bank.example</c>). Names are ASCII, as SNI carries them: an internationalized name
/// is written in its <c>xn--</c> form.
/// </summary>
internal static class ServerNamePattern
{
    private const string WildcardPrefix = "*.";
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>What is wrong with <paramref name="pattern"/>, or null if it is a valid pattern.</summary>
    public static string? Validate(string pattern)
    {
        var name = pattern.StartsWith(WildcardPrefix, StringComparison.Ordinal) ? pattern[WildcardPrefix.Length..] : pattern;
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the name is longer than {MaxNameLength} characters";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0)
            {
                return "a label is empty (two dots in a row, or a dot at the start or end)";
            }

            if (label.Length > MaxLabelLength)
            {
                return $"the label '{label}' is longer than {MaxLabelLength} characters";
            }

            foreach (var ch in label)
            {
                if (ch == '*')
                {
                    return "a wildcard is allowed only as the whole first label, as in \"*.bank.example\"";
                }

                if (!char.IsAsciiLetterOrDigit(ch) && ch != '-')
                {
                    return $"'{ch}' is not allowed; a label holds only letters, digits and '-'";
                }
            }
        }

        return null;
    }

    /// <summary>The pattern as stored: lower-case, since DNS names compare without case.</summary>
    public static string Normalize(string pattern) => pattern.ToLowerInvariant();
}
