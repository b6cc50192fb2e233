// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Internal;

/// <summary>Host name normalisation and certificate name matching shared by the parser, minter and validator.</summary>
internal static class HostName
{
    public const int MaxLength = 255;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// Validates a DNS host name as sent in SNI and returns it in lower case without a trailing dot,
    /// or null when it is not a plausible host name.
    /// </summary>
    /// <remarks>
    /// Accepted: ASCII letters, digits, '-', '_' (seen in the wild in SNI) and '.', no empty label, labels of at
    /// most 63 and a total of at most 255 characters. IDNs arrive as A-labels ("xn--"), which pass unchanged.
    /// </remarks>
    public static string? TryNormalize(ReadOnlySpan<byte> name)
    {
        if (!name.IsEmpty && name[^1] == (byte)'.')
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxLength)
        {
            return null;
        }

        int labelLength = 0;
        foreach (byte b in name)
        {
            if (b == (byte)'.')
            {
                if (labelLength == 0)
                {
                    return null;
                }

                labelLength = 0;
                continue;
            }

            if (!IsHostChar(b) || ++labelLength > MaxLabelLength)
            {
                return null;
            }
        }

        if (labelLength == 0)
        {
            return null;
        }

        return string.Create(name.Length, name, static (chars, source) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                byte b = source[i];
                chars[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
            }
        });
    }

    /// <summary>Same as the span overload, for names from configuration or certificates.</summary>
    public static string? TryNormalize(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength + 1)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[name.Length];
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] > 0x7f)
            {
                return null;
            }

            bytes[i] = (byte)name[i];
        }

        return TryNormalize(bytes);
    }

    /// <summary>
    /// Matches a certificate DNS name against a host name, case-insensitively, with a wildcard allowed only as
    /// the whole left-most label and standing for exactly one label ("*.example.com" matches "a.example.com",
    /// not "example.com" or "a.b.example.com"). The wildcard needs at least two labels after it, as browsers
    /// and OpenSSL's X509_check_host require.
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        var p = pattern.AsSpan().TrimEnd('.');
        var h = host.AsSpan().TrimEnd('.');
        if (p.IsEmpty || h.IsEmpty)
        {
            return false;
        }

        if (!p.StartsWith("*."))
        {
            return p.Equals(h, StringComparison.OrdinalIgnoreCase);
        }

        var suffix = p[1..];
        if (suffix[1..].IndexOf('.') < 0 || suffix.Contains('*'))
        {
            return false;
        }

        int firstDot = h.IndexOf('.');
        return firstDot > 0 && h[firstDot..].Equals(suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHostChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'_';
}
