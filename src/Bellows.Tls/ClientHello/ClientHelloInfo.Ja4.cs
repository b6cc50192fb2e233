// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bellows.Tls.ClientHello;

/// <summary>JA4 client fingerprint (FoxIO, technical_details/JA4.md in FoxIO-LLC/ja4).</summary>
public sealed partial class ClientHelloInfo
{
    private const string EmptyHash = "000000000000";

    /// <summary>
    /// The JA4 fingerprint, e.g. <c>t13d1516h2_8daaf6152771_e5627efa2ab1</c>.
    /// </summary>
    /// <remarks>
    /// a: "t" (TLS over TCP), version (highest non-GREASE <c>supported_versions</c> entry, else
    /// <c>legacy_version</c>), "d" with SNI or "i" without, cipher and extension counts (GREASE excluded,
    /// capped at 99), first and last character of the first ALPN value ("00" if none; the hex digits when either
    /// end is not alphanumeric).
    /// b: first 12 hex digits of SHA-256 over the sorted non-GREASE cipher list, comma-separated 4-digit hex.
    /// c: the same over the sorted extension list without GREASE, SNI and ALPN, then "_" and the signature
    /// algorithms in the order sent (no "_" when there are none). An empty list hashes as twelve zeros.
    /// </remarks>
    public string ComputeJa4()
    {
        var (a, ciphers, extensions) = BuildJa4Parts();
        return $"{a}_{Hash12(ciphers)}_{Hash12(extensions)}";
    }

    /// <summary>The unhashed form (JA4_r): the same three parts with the lists written out.</summary>
    public string ComputeJa4Raw()
    {
        var (a, ciphers, extensions) = BuildJa4Parts();
        return $"{a}_{ciphers}_{extensions}";
    }

    private (string A, string Ciphers, string Extensions) BuildJa4Parts()
    {
        var ciphers = new List<ushort>(CipherSuites.Length);
        foreach (ushort cipher in CipherSuites)
        {
            if (!TlsGrease.IsGrease(cipher))
            {
                ciphers.Add(cipher);
            }
        }

        int extensionCount = 0;
        var hashedExtensions = new List<ushort>(Extensions.Length);
        foreach (var extension in Extensions)
        {
            if (extension.IsGrease)
            {
                continue;
            }

            extensionCount++;
            if (extension.Type is not TlsExtensionTypes.ServerName and not TlsExtensionTypes.ApplicationLayerProtocolNegotiation)
            {
                hashedExtensions.Add(extension.Type);
            }
        }

        ciphers.Sort();
        hashedExtensions.Sort();

        var a = new StringBuilder(10)
            .Append('t')
            .Append(Ja4Version())
            .Append(HasExtension(TlsExtensionTypes.ServerName) ? 'd' : 'i')
            .Append(Math.Min(ciphers.Count, 99).ToString("D2", CultureInfo.InvariantCulture))
            .Append(Math.Min(extensionCount, 99).ToString("D2", CultureInfo.InvariantCulture))
            .Append(Ja4Alpn())
            .ToString();

        var extensionPart = AppendHexList(new StringBuilder(), hashedExtensions);
        if (hashedExtensions.Count > 0)
        {
            var signatures = new List<ushort>(SignatureAlgorithms.Length);
            foreach (ushort scheme in SignatureAlgorithms)
            {
                if (!TlsGrease.IsGrease(scheme))
                {
                    signatures.Add(scheme);
                }
            }

            if (signatures.Count > 0)
            {
                AppendHexList(extensionPart.Append('_'), signatures);
            }
        }

        return (a, AppendHexList(new StringBuilder(), ciphers).ToString(), extensionPart.ToString());
    }

    private string Ja4Version()
    {
        int version = -1;
        foreach (ushort v in SupportedVersions)
        {
            if (!TlsGrease.IsGrease(v) && v > version)
            {
                version = v;
            }
        }

        if (version < 0)
        {
            version = LegacyVersion;
        }

        return version switch
        {
            0x0304 => "13",
            0x0303 => "12",
            0x0302 => "11",
            0x0301 => "10",
            0x0300 => "s3",
            0x0002 => "s2",
            0xfeff => "d1",
            0xfefd => "d2",
            0xfefc => "d3",
            _ => "00",
        };
    }

    private string Ja4Alpn()
    {
        if (ApplicationProtocols.IsEmpty)
        {
            return "00";
        }

        var first = ApplicationProtocols[0].Protocol.Span;
        if (first.IsEmpty)
        {
            return "00";
        }

        byte head = first[0];
        byte tail = first[^1];
        if (char.IsAsciiLetterOrDigit((char)head) && char.IsAsciiLetterOrDigit((char)tail))
        {
            return string.Concat(((char)head).ToString(), ((char)tail).ToString());
        }

        // Either end is not alphanumeric: the first and last digits of the value's hex form.
        const string Hex = "0123456789abcdef";
        return string.Concat(Hex[head >> 4].ToString(), Hex[tail & 0xf].ToString());
    }

    private static StringBuilder AppendHexList(StringBuilder builder, List<ushort> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(values[i].ToString("x4", CultureInfo.InvariantCulture));
        }

        return builder;
    }

    private static string Hash12(string list)
    {
        if (list.Length == 0)
        {
            return EmptyHash;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(list), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }
}
