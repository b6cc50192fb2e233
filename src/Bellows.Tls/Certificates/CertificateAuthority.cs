// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Internal;

namespace Bellows.Tls.Certificates;

/// <summary>
/// The CA that signs minted certificates: <c>ca-cert.pem</c> and <c>ca-key.pem</c> in one directory, as
/// Smithproxy's <c>certs_path</c>.
/// </summary>
/// <remarks>
/// A created CA has an ECDSA P-256 key: a signature with it costs about 0.05 ms, against about a
/// millisecond for RSA-2048, and every client that speaks TLS 1.2 accepts ECDSA chains. A loaded CA may be
/// ECDSA or RSA (an existing Smithproxy CA keeps working). The key file is unencrypted PKCS#8 protected by its
/// mode (0600), which <see cref="Load"/> enforces.
/// </remarks>
public sealed partial class CertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca-cert.pem";
    public const string KeyFileName = "ca-key.pem";

    /// <summary>Validity of a created CA.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    private static readonly TimeSpan s_backdate = TimeSpan.FromDays(1);

    private readonly AsymmetricAlgorithm _key;
    private readonly X509SignatureGenerator _signer;
    private readonly HashAlgorithmName _hash;
    private readonly Lock _signLock = new();

    private CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, string? directory)
    {
        Certificate = certificate;
        _key = key;
        Directory = directory;
        (_signer, _hash) = key switch
        {
            ECDsa ecdsa => (X509SignatureGenerator.CreateForECDsa(ecdsa), HashFor(ecdsa.KeySize)),
            RSA rsa => (X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256),
            _ => throw new CertificateAuthorityException("the CA key must be ECDSA or RSA"),
        };
        SubjectKeyIdentifier = ReadSubjectKeyIdentifier(certificate);
    }

    /// <summary>The CA certificate (public part only; the key never leaves this object).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The directory the CA was created in or loaded from; null for an ephemeral CA.</summary>
    public string? Directory { get; }

    public string? CertificatePath => Directory is null ? null : Path.Combine(Directory, CertificateFileName);

    /// <summary>The CA's subject key identifier: minted certificates carry it as authority key identifier.</summary>
    public ReadOnlyMemory<byte> SubjectKeyIdentifier { get; }

    /// <summary>
    /// Creates a new CA in <paramref name="directory"/> (created if missing). Refuses to overwrite an existing
    /// certificate or key.
    /// </summary>
    public static CertificateAuthority Create(string directory, string commonName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        string certPath = Path.Combine(directory, CertificateFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certPath) || File.Exists(keyPath))
        {
            throw new CertificateAuthorityException($"refusing to overwrite the existing CA in '{directory}'");
        }

        System.IO.Directory.CreateDirectory(directory);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            var certificate = CreateCertificate(key, commonName, timeProvider ?? TimeProvider.System);
            PrivateKeyFile.WriteNew(keyPath, key.ExportPkcs8PrivateKeyPem());
            File.WriteAllText(certPath, certificate.ExportCertificatePem() + "\n");
            return new CertificateAuthority(certificate, key, directory);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>An in-memory CA that is never written anywhere (tests, benchmarks).</summary>
    public static CertificateAuthority CreateEphemeral(string commonName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateAuthority(CreateCertificate(key, commonName, timeProvider ?? TimeProvider.System), key, directory: null);
    }

    /// <summary>
    /// Loads <c>ca-cert.pem</c> and <c>ca-key.pem</c> from <paramref name="directory"/>. Fails with
    /// <see cref="CertificateAuthorityException"/> when a file is missing, the key file is readable by group or
    /// others, the key does not match the certificate, or the certificate is not a CA.
    /// </summary>
    public static CertificateAuthority Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string certPath = Path.Combine(directory, CertificateFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        foreach (string path in (ReadOnlySpan<string>)[certPath, keyPath])
        {
            if (!File.Exists(path))
            {
                throw new CertificateAuthorityException($"CA file '{path}' does not exist");
            }
        }

        PrivateKeyFile.EnsurePrivate(keyPath);
        X509Certificate2 withKey;
        try
        {
            withKey = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new CertificateAuthorityException(
                $"cannot load the CA from '{directory}': {ex.Message} (the key must be an unencrypted PEM matching the certificate)", ex);
        }

        using (withKey)
        {
            var basic = withKey.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
            if (basic is null || !basic.CertificateAuthority)
            {
                throw new CertificateAuthorityException($"'{certPath}' is not a CA certificate (basicConstraints CA:TRUE missing)");
            }

            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)withKey.GetECDsaPrivateKey() ?? withKey.GetRSAPrivateKey()
                ?? throw new CertificateAuthorityException($"'{keyPath}' must hold an ECDSA or RSA key");
            return new CertificateAuthority(X509CertificateLoader.LoadCertificate(withKey.RawData), key, directory);
        }
    }

    /// <summary>The CA certificate as PEM, for clients to install (and for a <c>/cacert</c> endpoint).</summary>
    public string ExportPem() => Certificate.ExportCertificatePem() + "\n";

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    /// <summary>Signs a leaf request. Serialised: a shared key object is not documented as thread-safe.</summary>
    internal X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] serialNumber)
    {
        lock (_signLock)
        {
            return request.Create(Certificate.SubjectName, _signer, notBefore, notAfter, serialNumber);
        }
    }

    internal HashAlgorithmName SignatureHash => _hash;

    private static X509Certificate2 CreateCertificate(ECDsa key, string commonName, TimeProvider time)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(
            certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = time.GetUtcNow();
        using var signed = request.CreateSelfSigned(now - s_backdate, now + Validity);

        // CreateSelfSigned returns the certificate bound to the key object; keep a public-only copy.
        return X509CertificateLoader.LoadCertificate(signed.RawData);
    }

    private static ReadOnlyMemory<byte> ReadSubjectKeyIdentifier(X509Certificate2 certificate)
    {
        var ski = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? new X509SubjectKeyIdentifierExtension(certificate.PublicKey, critical: false);
        return ski.SubjectKeyIdentifierBytes;
    }

    private static HashAlgorithmName HashFor(int keySize) => keySize switch
    {
        > 384 => HashAlgorithmName.SHA512,
        > 256 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA256,
    };
}
