// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Lab.Network;

namespace Bellows.Lab.Tls;

/// <summary>
/// The lab origin's own small PKI, made fresh for every lab: a CA, a leaf per <see cref="LabOriginNames"/> entry,
/// the OCSP responder's index and a CRL. Files, all in the lab directory:
/// <code>
///  origin-ca.pem, origin-ca-key.pem    the CA (Bellows' trust_bundle; the OCSP responder signs with it)
///  origin-certs/NAME.pem               each served leaf certificate (public part)
///  ocsp/index.txt                      openssl ca's database: which serials are valid or revoked
///  origin.crl                          the CRL (DER), also served at http://198.18.1.2/origin.crl
/// </code>
/// </summary>
/// <remarks>
/// The CA's name carries the prefix and a random tag: .NET caches fetched CRLs and OCSP answers on disk keyed by
/// the issuer's name, and a stale answer from an earlier lab's CA (another key) must never apply to this one.
/// </remarks>
public sealed partial class LabOriginPki : IDisposable
{
    public const int OcspPort = 8888;
    public const string CrlPath = "/origin.crl";
    public const string CaFileName = "origin-ca.pem";
    public const string CaKeyFileName = "origin-ca-key.pem";

    public static readonly string OcspUrl = $"http://{LabTopology.ServerV4}:{OcspPort}/";
    public static readonly string CrlUrl = $"http://{LabTopology.ServerV4}{CrlPath}";

    private readonly FrozenDictionary<string, SslStreamCertificateContext> _contexts;
    private readonly List<X509Certificate2> _owned;

    private LabOriginPki(string directory, X509Certificate2 ca, byte[] crl, Dictionary<string, SslStreamCertificateContext> contexts, List<X509Certificate2> owned)
    {
        Directory = directory;
        CaCertificate = ca;
        Crl = crl;
        _contexts = contexts.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _owned = owned;
    }

    public string Directory { get; }

    /// <summary>The origin CA (with its key: the lab process is the CA).</summary>
    public X509Certificate2 CaCertificate { get; }

    public string CaPath => Path.Combine(Directory, CaFileName);

    public string CaKeyPath => Path.Combine(Directory, CaKeyFileName);

    public string OcspIndexPath => Path.Combine(Directory, "ocsp", "index.txt");

    /// <summary>The CRL in DER, listing <see cref="LabOriginNames.Revoked"/>.</summary>
    public byte[] Crl { get; }

    /// <summary>Where the leaf certificate (PEM) served for <paramref name="name"/> is written.</summary>
    public static string LeafPath(string directory, string name) => Path.Combine(directory, "origin-certs", name + ".pem");

    /// <summary>The certificate and chain the origin presents for an SNI; no SNI or an unknown one gets www.lab.test.</summary>
    public SslStreamCertificateContext ContextFor(string? serverName) =>
        serverName is not null && _contexts.TryGetValue(serverName, out var context) ? context : _contexts[LabOriginNames.Www];

    public void Dispose()
    {
        foreach (var certificate in _owned)
        {
            certificate.Dispose();
        }
    }

    private static X509Certificate2 CreateCa(string prefix, DateTimeOffset now, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new CertificateRequest($"CN=Bellows Lab Origin CA {prefix} {tag}, O=Bellows Lab", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Back-dated far enough to sign the expired leaf (a child must lie within its issuer's validity).
        return request.CreateSelfSigned(now.AddDays(-60), now.AddDays(60));
    }
}
