// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net.Security;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.Lab.Network;

namespace Bellows.Lab.Tls;

public sealed partial class LabOriginPki
{
    /// <summary>What makes each name a test case.</summary>
    private static readonly LeafSpec[] s_leaves =
    [
        new(LabOriginNames.Www, [LabOriginNames.Www, LabOriginNames.Apex], WithAddresses: true),
        new(LabOriginNames.Expired, [LabOriginNames.Expired], Expired: true),
        new(LabOriginNames.WrongName, [LabOriginNames.WrongNameSan], CommonName: LabOriginNames.WrongNameSan),
        new(LabOriginNames.SelfSigned, [LabOriginNames.SelfSigned], SelfSigned: true),
        new(LabOriginNames.Revoked, [LabOriginNames.Revoked], Ocsp: true, Crl: true, Revoked: true),
        new(LabOriginNames.GoodOcsp, [LabOriginNames.GoodOcsp], Ocsp: true),
        new(LabOriginNames.Bypass, [LabOriginNames.Bypass]),
        new(LabOriginNames.Mint, [LabOriginNames.Mint]),
    ];

    /// <summary>Creates the CA, the leaves, the OCSP index and the CRL, and writes their files into <paramref name="directory"/>.</summary>
    public static LabOriginPki Create(string directory, string prefix, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "origin-certs"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "ocsp"));
        var owned = new List<X509Certificate2>();
        var ca = CreateCa(prefix, now, out var caKey);
        using var caKeyScope = caKey;
        owned.Add(ca);
        File.WriteAllText(Path.Combine(directory, CaFileName), ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, CaKeyFileName), caKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(Path.Combine(directory, CaKeyFileName), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var caPublic = X509CertificateLoader.LoadCertificate(ca.RawData);
        owned.Add(caPublic);
        var contexts = new Dictionary<string, SslStreamCertificateContext>();
        var index = new StringBuilder();
        var crl = new CertificateRevocationListBuilder();
        foreach (var spec in s_leaves)
        {
            byte[] serial = NewSerial();
            var leaf = CreateLeaf(spec, ca, serial, now);
            owned.Add(leaf);
            File.WriteAllText(LeafPath(directory, spec.Name), leaf.ExportCertificatePem() + "\n");
            contexts[spec.Name] = SslStreamCertificateContext.Create(leaf, spec.SelfSigned ? [] : new X509Certificate2Collection(caPublic), offline: true);
            if (spec.SelfSigned)
            {
                continue;
            }

            // openssl ca's index.txt: status, expiry, revocation time, serial (hex), file name, subject.
            string expiry = IndexTime(leaf.NotAfter);
            string revokedAt = spec.Revoked ? IndexTime(now.AddHours(-1).UtcDateTime) + ",keyCompromise" : "";
            index.Append(spec.Revoked ? 'R' : 'V').Append('\t').Append(expiry).Append('\t').Append(revokedAt).Append('\t')
                .Append(Convert.ToHexString(serial)).Append("\tunknown\t/CN=").Append(spec.CommonName ?? spec.Name).Append('\n');
            if (spec.Revoked)
            {
                crl.AddEntry(serial, now.AddHours(-1), X509RevocationReason.KeyCompromise);
            }
        }

        File.WriteAllText(Path.Combine(directory, "ocsp", "index.txt"), index.ToString());
        File.WriteAllText(Path.Combine(directory, "ocsp", "index.txt.attr"), "unique_subject = no\n");
        byte[] crlDer = crl.Build(ca, BigInteger.One, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));
        File.WriteAllBytes(Path.Combine(directory, "origin.crl"), crlDer);
        return new LabOriginPki(directory, ca, crlDer, contexts, owned);
    }

    private static X509Certificate2 CreateLeaf(LeafSpec spec, X509Certificate2 ca, byte[] serial, DateTimeOffset now)
    {
        // Not disposed here: the certificate returned keeps using this key object for the handshakes.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + (spec.CommonName ?? spec.Name), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in spec.DnsNames)
        {
            san.AddDnsName(name);
        }

        if (spec.WithAddresses)
        {
            san.AddIpAddress(LabTopology.ServerV4);
            san.AddIpAddress(LabTopology.ServerV6);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (spec.Ocsp)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([OcspUrl], null));
        }

        if (spec.Crl)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([CrlUrl]));
        }

        var notBefore = spec.Expired ? now.AddDays(-30) : now.AddDays(-1);
        var notAfter = spec.Expired ? now.AddDays(-1) : now.AddDays(30);
        if (spec.SelfSigned)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A positive 64-bit serial with a non-zero first byte (so its hex form has no leading zeros to argue about).</summary>
    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x10);
        return serial;
    }

    private static string IndexTime(DateTime utc) => utc.ToUniversalTime().ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    private sealed record LeafSpec(
        string Name,
        string[] DnsNames,
        bool WithAddresses = false,
        string? CommonName = null,
        bool Expired = false,
        bool SelfSigned = false,
        bool Ocsp = false,
        bool Crl = false,
        bool Revoked = false);
}
