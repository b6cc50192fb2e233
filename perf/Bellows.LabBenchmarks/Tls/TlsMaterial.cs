// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;

namespace Bellows.LabBenchmarks.Tls;

/// <summary>
/// The certificates one TLS benchmark run uses, all made afresh: an origin root CA, its issuing (intermediate) CA and
/// the origin's leaf (nginx sends the leaf and the intermediate, the shape of a public site's chain), and one
/// intercepting CA per proxy. Every key is ECDSA P-256, so neither proxy signs with a cheaper key than the
/// other (Squid signs its minted certificates with its CA's key and gives them that key, too).
/// </summary>
public sealed class TlsMaterial
{
    /// <summary>The name the client fetches: <c>/etc/netns/PREFIX-cli/hosts</c> maps it to the server.</summary>
    public const string OriginName = "origin.bellows.test";

    public const string OriginCaName = "Bellows bench origin CA";

    public const string OriginIssuerName = "Bellows bench origin issuing CA";

    public const string BellowsCaName = "Bellows bench Bellows CA";

    public const string SquidCaName = "Bellows bench Squid CA";

    private TlsMaterial(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>PEM of the origin CA: the proxies' trust bundle, and curl's on the routed path.</summary>
    public string OriginCaPath => Path.Combine(Directory, "origin-ca.pem");

    public string OriginCertificatePath => Path.Combine(Directory, "origin.pem");

    public string OriginKeyPath => Path.Combine(Directory, "origin.key");

    /// <summary>Bellows' <c>tls.ca_dir</c>: ca-cert.pem and ca-key.pem, made here so the client knows the CA.</summary>
    public string BellowsCaDirectory => Path.Combine(Directory, "bellows-ca");

    public string BellowsCaPath => Path.Combine(BellowsCaDirectory, CertificateAuthority.CertificateFileName);

    public string SquidCaDirectory => Path.Combine(Directory, "squid-ca");

    public string SquidCaPath => Path.Combine(SquidCaDirectory, CertificateAuthority.CertificateFileName);

    public string SquidCaKeyPath => Path.Combine(SquidCaDirectory, CertificateAuthority.KeyFileName);

    /// <summary>The intermediate that issued the origin's leaf: the OCSP responder answers for it.</summary>
    public string OriginIssuerPath => Path.Combine(Directory, "origin-issuer.pem");

    /// <summary>The intermediate's key: the OCSP responder signs its answers with it.</summary>
    public string OriginIssuerKeyPath => Path.Combine(Directory, "origin-issuer.key");

    /// <summary>openssl ca's index.txt for the OCSP responder: the origin's leaf, valid.</summary>
    public string OcspIndexPath => Path.Combine(Directory, "ocsp-index.txt");

    /// <summary>Port of the origin CA's OCSP responder in the server namespace.</summary>
    public const int OcspPort = 8888;

    /// <summary>The OCSP responder the origin's leaf names (authorityInfoAccess).</summary>
    public string OcspUrl { get; private set; } = "";

    /// <summary>Creates <paramref name="directory"/> (replacing what was there) with every certificate and key.</summary>
    public static TlsMaterial Create(string directory, IPAddress originAddress)
    {
        ArgumentNullException.ThrowIfNull(originAddress);
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.CreateDirectory(directory);
        var material = new TlsMaterial(directory);
        material.CreateOrigin(originAddress);
        CertificateAuthority.Create(material.BellowsCaDirectory, BellowsCaName).Dispose();
        CertificateAuthority.Create(material.SquidCaDirectory, SquidCaName).Dispose();
        return material;
    }

    private void CreateOrigin(IPAddress originAddress)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=" + OriginCaName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=" + OriginIssuerName, issuerKey, HashAlgorithmName.SHA256);
        issuerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        issuerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        issuerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(issuerRequest.PublicKey, false));
        issuerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] issuerSerial = RandomNumberGenerator.GetBytes(16);
        issuerSerial[0] &= 0x7f;
        using var issuerPublic = issuerRequest.Create(ca, now.AddDays(-1), now.AddDays(30), issuerSerial);
        using var issuer = issuerPublic.CopyWithPrivateKey(issuerKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + OriginName, leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(OriginName);
        san.AddIpAddress(originAddress);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        OcspUrl = $"http://{originAddress}:{OcspPort}/";
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([OcspUrl], null));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leaf = leafRequest.Create(issuer, now.AddDays(-1), now.AddDays(29), serial);

        File.WriteAllText(OriginCaPath, ca.ExportCertificatePem() + "\n");

        // nginx sends the leaf and the intermediate, not the root: what public sites send (RFC 8446 4.4.2 lets the
        // root out; the client must hold it anyway). Until 2026-11-26 the origin sent its leaf and the root.
        File.WriteAllText(OriginCertificatePath, leaf.ExportCertificatePem() + "\n" + issuer.ExportCertificatePem() + "\n");
        File.WriteAllText(OriginIssuerPath, issuer.ExportCertificatePem() + "\n");
        File.WriteAllText(OriginKeyPath, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(OriginKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(OriginIssuerKeyPath, issuerKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.SetUnixFileMode(OriginIssuerKeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // openssl ca's index.txt: status, expiry, revocation time, serial (hex), file name, subject.
        string expiry = leaf.NotAfter.ToUniversalTime().ToString("yyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
        File.WriteAllText(OcspIndexPath, $"V\t{expiry}\t\t{leaf.SerialNumber}\tunknown\t/CN={OriginName}\n");
        File.WriteAllText(OcspIndexPath + ".attr", "unique_subject = no\n");
    }
}
