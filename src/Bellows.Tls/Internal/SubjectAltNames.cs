// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Internal;

/// <summary>Reading and writing the DNS and IP entries of subjectAltName (RFC 5280 section 4.2.1.6).</summary>
internal static class SubjectAltNames
{
    public const string Oid = "2.5.29.17";

    private static readonly Asn1Tag s_dnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag s_ipAddressTag = new(TagClass.ContextSpecific, 7);

    /// <summary>
    /// The DNS and IP entries of the certificate's SAN extension, in order. A missing or malformed extension
    /// yields empty lists (a malformed upstream SAN must not stop the connection from being inspected).
    /// </summary>
    public static (List<string> DnsNames, List<IPAddress> Addresses, bool Present) Read(X509Certificate2 certificate)
    {
        var dns = new List<string>();
        var addresses = new List<IPAddress>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != Oid)
            {
                continue;
            }

            try
            {
                var san = extension as X509SubjectAlternativeNameExtension
                    ?? new X509SubjectAlternativeNameExtension(extension.RawData, extension.Critical);
                dns.AddRange(san.EnumerateDnsNames());
                foreach (var address in san.EnumerateIPAddresses())
                {
                    addresses.Add(Normalize(address));
                }
            }
            catch (CryptographicException)
            {
                dns.Clear();
                addresses.Clear();
            }

            return (dns, addresses, true);
        }

        return (dns, addresses, false);
    }

    /// <summary>
    /// Encodes a SAN extension with the names written exactly as given (no IDN mapping, unlike
    /// <see cref="SubjectAlternativeNameBuilder"/>, so that copied names stay byte-identical).
    /// </summary>
    public static X509Extension Build(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, bool critical)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (string name in dnsNames)
            {
                writer.WriteCharacterString(UniversalTagNumber.IA5String, name, s_dnsNameTag);
            }

            Span<byte> buffer = stackalloc byte[16];
            foreach (var address in addresses)
            {
                address.TryWriteBytes(buffer, out int written);
                writer.WriteOctetString(buffer[..written], s_ipAddressTag);
            }
        }

        return new X509Extension(Oid, writer.Encode(), critical);
    }

    /// <summary>IPv4-mapped IPv6 addresses compare as the IPv4 address they carry.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>True when <paramref name="hostOrAddress"/> is an IP literal ("192.0.2.1", "2001:db8::1").</summary>
    public static bool TryParseAddressLiteral(string hostOrAddress, out IPAddress? address)
    {
        address = null;

        // IPAddress.TryParse also accepts "1" or "0x7f.1"; only plain dotted quads and IPv6 forms count here.
        bool dottedQuad = hostOrAddress.Count(c => c == '.') == 3 && hostOrAddress.All(c => c == '.' || char.IsAsciiDigit(c));
        if ((dottedQuad || hostOrAddress.Contains(':')) && IPAddress.TryParse(hostOrAddress, out var parsed))
        {
            address = Normalize(parsed);
            return true;
        }

        return false;
    }
}
