// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.Tls.Internal;

namespace Bellows.Tls.Certificates;

/// <summary>
/// What a minted certificate copies from the real one (subject DN, DNS and IP SANs) and adds (the SNI or the
/// target address when the real certificate does not cover it), plus its cache key.
/// </summary>
/// <remarks>
/// The key is built from exactly these fields, so two upstream certificates that would give the same minted
/// certificate share one cache entry (every host under one wildcard certificate, for instance), and a name
/// that is not covered gets its own entry.
/// </remarks>
public sealed class CertificateTemplate
{
    private CertificateTemplate(
        X500DistinguishedName subject,
        ImmutableArray<string> dnsNames,
        ImmutableArray<IPAddress> addresses,
        string? extraDnsName,
        IPAddress? extraAddress,
        bool selfSigned,
        DateTimeOffset upstreamNotAfter)
    {
        Subject = subject;
        DnsNames = dnsNames;
        IPAddresses = addresses;
        ExtraDnsName = extraDnsName;
        ExtraIPAddress = extraAddress;
        SelfSigned = selfSigned;
        UpstreamNotAfter = upstreamNotAfter;
        CacheKey = BuildKey();
    }

    /// <summary>The subject DN copied whole from the real certificate.</summary>
    public X500DistinguishedName Subject { get; }

    /// <summary>The real certificate's DNS SANs, in its order.</summary>
    public ImmutableArray<string> DnsNames { get; }

    /// <summary>The real certificate's IP SANs, in its order.</summary>
    public ImmutableArray<IPAddress> IPAddresses { get; }

    /// <summary>The SNI, added because no DNS SAN of the real certificate matches it.</summary>
    public string? ExtraDnsName { get; }

    /// <summary>The target address (no SNI), added because no IP SAN of the real certificate matches it.</summary>
    public IPAddress? ExtraIPAddress { get; }

    /// <summary>Mint a self-signed look-alike (the client then sees a certificate error too).</summary>
    public bool SelfSigned { get; }

    /// <summary>The real certificate's notAfter: a minted certificate never outlives it (but lives at least a day).</summary>
    public DateTimeOffset UpstreamNotAfter { get; }

    /// <summary>Subject DER, sorted SANs, extra SANs and the self-signed flag, each length-prefixed.</summary>
    public string CacheKey { get; }

    /// <param name="upstream">The real server's leaf certificate.</param>
    /// <param name="serverName">The client's SNI, if any.</param>
    /// <param name="targetAddress">The original destination address.</param>
    /// <param name="selfSigned">Mint a self-signed certificate instead of one issued by the CA.</param>
    public static CertificateTemplate FromUpstream(
        X509Certificate2 upstream,
        string? serverName,
        IPAddress? targetAddress,
        bool selfSigned = false)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var (dnsNames, addresses, _) = SubjectAltNames.Read(upstream);
        string? extraDns = null;
        IPAddress? extraAddress = null;
        if (serverName is not null)
        {
            if (SubjectAltNames.TryParseAddressLiteral(serverName, out var literal))
            {
                extraAddress = addresses.Contains(literal!) ? null : literal;
            }
            else
            {
                string host = HostName.TryNormalize(serverName)
                    ?? throw new ArgumentException($"'{serverName}' is not a valid host name", nameof(serverName));
                extraDns = dnsNames.Exists(pattern => HostName.Matches(pattern, host)) ? null : host;
            }
        }
        else if (targetAddress is not null)
        {
            var target = SubjectAltNames.Normalize(targetAddress);
            extraAddress = addresses.Contains(target) ? null : target;
        }

        return new CertificateTemplate(
            new X500DistinguishedName(upstream.SubjectName.RawData),
            [.. dnsNames],
            [.. addresses],
            extraDns,
            extraAddress,
            selfSigned,
            new DateTimeOffset(upstream.NotAfter.ToUniversalTime(), TimeSpan.Zero));
    }

    /// <summary>All DNS names the minted certificate carries: the copied ones, then the extra one.</summary>
    public IEnumerable<string> AllDnsNames() => ExtraDnsName is null ? DnsNames : DnsNames.Append(ExtraDnsName);

    /// <summary>All IP addresses the minted certificate carries: the copied ones, then the extra one.</summary>
    public IEnumerable<IPAddress> AllIPAddresses() => ExtraIPAddress is null ? IPAddresses : IPAddresses.Append(ExtraIPAddress);

    public override string ToString() => CacheKey;

    private string BuildKey()
    {
        var key = new StringBuilder(64 + (DnsNames.Length * 24));
        key.Append("subj:").Append(Convert.ToHexString(Subject.RawData));
        foreach (string name in DnsNames.Order(StringComparer.Ordinal))
        {
            Append(key, "dns", name);
        }

        foreach (string address in IPAddresses.Select(a => a.ToString()).Order(StringComparer.Ordinal))
        {
            Append(key, "ip", address);
        }

        if (ExtraDnsName is not null)
        {
            Append(key, "+dns", ExtraDnsName);
        }

        if (ExtraIPAddress is not null)
        {
            Append(key, "+ip", ExtraIPAddress.ToString());
        }

        if (SelfSigned)
        {
            key.Append("|self");
        }

        return key.ToString();
    }

    // Length-prefixed so that no SAN value (IA5String may contain '|') can forge another key.
    private static void Append(StringBuilder key, string kind, string value) =>
        key.Append('|').Append(kind).Append(':').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
}
