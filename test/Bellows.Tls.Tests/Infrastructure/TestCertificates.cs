// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>Certificates made on the spot for tests: roots, intermediates and leaves with chosen flaws.</summary>
internal static class TestCertificates
{
    public static readonly string ServerAuth = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 CreateRoot(string commonName, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(notBefore ?? now.AddDays(-30), notAfter ?? now.AddYears(5));
    }

    public static X509Certificate2 CreateIntermediate(X509Certificate2 issuer, string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(AuthorityKeyId(issuer));
        var now = DateTimeOffset.UtcNow;
        using var cert = request.Create(issuer, now.AddDays(-29), now.AddYears(2), RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A server leaf issued by <paramref name="issuer"/> (or self-signed when null).</summary>
    public static X509Certificate2 CreateLeaf(
        X509Certificate2? issuer,
        string subject,
        string[]? dnsNames = null,
        IPAddress[]? addresses = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        string? crlUrl = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuth)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (dnsNames is not null || addresses is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames ?? [])
            {
                san.AddDnsName(name);
            }

            foreach (var address in addresses ?? [])
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        if (crlUrl is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        }

        var now = DateTimeOffset.UtcNow;
        var from = notBefore ?? now.AddDays(-2);
        var to = notAfter ?? now.AddDays(60);
        if (issuer is null)
        {
            return request.CreateSelfSigned(from, to);
        }

        request.CertificateExtensions.Add(AuthorityKeyId(issuer));
        using var cert = request.Create(issuer, from, to, RandomSerial());
        return cert.CopyWithPrivateKey(key);
    }

    public static X509Certificate2 PublicOnly(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    public static void WritePem(string path, params X509Certificate2[] certificates) =>
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));

    public static void WriteKey(string path, X509Certificate2 certificate, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey() ?? certificate.GetRSAPrivateKey()!;
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        File.SetUnixFileMode(path, mode);
    }

    private static X509AuthorityKeyIdentifierExtension AuthorityKeyId(X509Certificate2 issuer) =>
        X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false);

    private static byte[] RandomSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x01);
        return serial;
    }
}
