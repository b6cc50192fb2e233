// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.Certificates;

public class CertificateAuthorityTests
{
    [Fact]
    public void Create_WritesCaAndKeyWithMode0600()
    {
        using var dir = new TempDirectory();
        string caDir = dir.Combine("certs");

        using var ca = CertificateAuthority.Create(caDir, "Bellows Test CA");

        string keyPath = Path.Combine(caDir, CertificateAuthority.KeyFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(keyPath), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(Path.Combine(caDir, CertificateAuthority.CertificateFileName)), StringComparison.Ordinal);
        Assert.Equal(Path.Combine(caDir, CertificateAuthority.CertificateFileName), ca.CertificatePath);
    }

    [Fact]
    public void Create_Certificate_IsAPathLenZeroCaValidForTenYears()
    {
        var time = new FixedTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var ca = CertificateAuthority.CreateEphemeral("Bellows Test CA", time);
        var cert = ca.Certificate;

        Assert.Equal("CN=Bellows Test CA", cert.Subject);
        Assert.Equal(cert.Subject, cert.Issuer);
        Assert.False(cert.HasPrivateKey);
        var basic = cert.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(basic.Critical);
        Assert.True(basic.CertificateAuthority);
        Assert.True(basic.HasPathLengthConstraint);
        Assert.Equal(0, basic.PathLengthConstraint);
        var usage = cert.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.NotNull(cert.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        Assert.Equal(time.GetUtcNow().AddDays(-1).UtcDateTime, cert.NotBefore.ToUniversalTime());
        Assert.Equal(time.GetUtcNow().AddDays(3650).UtcDateTime, cert.NotAfter.ToUniversalTime());
        Assert.Equal("1.2.840.10045.2.1", cert.PublicKey.Oid.Value); // id-ecPublicKey
    }

    [Fact]
    public void Create_ExistingCa_Refuses()
    {
        using var dir = new TempDirectory();
        CertificateAuthority.Create(dir.Path, "first").Dispose();

        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Create(dir.Path, "second"));
        Assert.Contains("refusing to overwrite", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CreatedCa_RoundTripsAndMints()
    {
        using var dir = new TempDirectory();
        string thumbprint;
        using (var created = CertificateAuthority.Create(dir.Path, "Round Trip CA"))
        {
            thumbprint = created.Certificate.Thumbprint;
        }

        using var loaded = CertificateAuthority.Load(dir.Path);
        using var upstream = TestCertificates.CreateLeaf(null, "CN=a.example", ["a.example"]);
        using var minted = new CertificateMinter(loaded).Mint(upstream, "a.example", null);

        Assert.Equal(thumbprint, loaded.Certificate.Thumbprint);
        Assert.Equal(loaded.Certificate.Subject, minted.Issuer);
    }

    [Fact]
    public void Load_KeyReadableByOthers_FailsWithClearMessage()
    {
        using var dir = new TempDirectory();
        CertificateAuthority.Create(dir.Path, "Leaky CA").Dispose();
        string keyPath = Path.Combine(dir.Path, CertificateAuthority.KeyFileName);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(dir.Path));

        Assert.Contains(keyPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("0644", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyReadableByGroupOnly_Fails()
    {
        using var dir = new TempDirectory();
        CertificateAuthority.Create(dir.Path, "Group CA").Dispose();
        File.SetUnixFileMode(Path.Combine(dir.Path, CertificateAuthority.KeyFileName), UnixFileMode.UserRead | UnixFileMode.GroupRead);

        Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(dir.Path));
    }

    [Fact]
    public void Load_MissingFiles_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(dir.Path));
        Assert.Contains(CertificateAuthority.CertificateFileName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LeafCertificateAsCa_Refused()
    {
        using var dir = new TempDirectory();
        using var leaf = TestCertificates.CreateLeaf(null, "CN=not-a-ca.example", ["not-a-ca.example"]);
        TestCertificates.WritePem(Path.Combine(dir.Path, CertificateAuthority.CertificateFileName), leaf);
        TestCertificates.WriteKey(Path.Combine(dir.Path, CertificateAuthority.KeyFileName), leaf);

        var ex = Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(dir.Path));
        Assert.Contains("not a CA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_Refused()
    {
        using var dir = new TempDirectory();
        using var root = TestCertificates.CreateRoot("Mismatch CA");
        using var other = TestCertificates.CreateRoot("Other CA");
        TestCertificates.WritePem(Path.Combine(dir.Path, CertificateAuthority.CertificateFileName), root);
        TestCertificates.WriteKey(Path.Combine(dir.Path, CertificateAuthority.KeyFileName), other);

        Assert.Throws<CertificateAuthorityException>(() => CertificateAuthority.Load(dir.Path));
    }

    /// <summary>An RSA CA made by the openssl CLI (as Smithproxy's tooling makes them) loads and signs.</summary>
    [Fact]
    public void Load_OpenSslRsaCa_MintsCertificatesThatVerify()
    {
        using var dir = new TempDirectory();
        string cert = Path.Combine(dir.Path, CertificateAuthority.CertificateFileName);
        string key = Path.Combine(dir.Path, CertificateAuthority.KeyFileName);
        var (code, output) = ProcessRunner.Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "30", "-subj", "/CN=OpenSSL RSA CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        Assert.True(code == 0, output);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var ca = CertificateAuthority.Load(dir.Path);
        using var upstream = TestCertificates.CreateLeaf(null, "CN=rsa.example", ["rsa.example"]);
        using var minted = new CertificateMinter(ca).Mint(upstream, "rsa.example", null);
        string leafPath = Path.Combine(dir.Path, "leaf.pem");
        TestCertificates.WritePem(leafPath, minted);

        var (verify, verifyOutput) = ProcessRunner.Run("openssl", "verify", "-CAfile", cert, leafPath);
        Assert.True(verify == 0, verifyOutput);
    }

    [Fact]
    public void ExportPem_IsTheCertificate()
    {
        using var ca = CertificateAuthority.CreateEphemeral("Pem CA");

        string pem = ca.ExportPem();

        Assert.Equal(ca.Certificate.RawData, X509Certificate2.CreateFromPem(pem).RawData);
    }

    [Fact]
    public void TrustInstructions_CoverEachPlatformWithThePath()
    {
        using var dir = new TempDirectory();
        using var ca = CertificateAuthority.Create(dir.Path, "Instructions CA");

        string text = ca.TrustInstructions;

        Assert.Contains(ca.CertificatePath!, text, StringComparison.Ordinal);
        Assert.Contains("/usr/local/share/ca-certificates", text, StringComparison.Ordinal);
        Assert.Contains("update-ca-certificates", text, StringComparison.Ordinal);
        Assert.Contains("/etc/pki/ca-trust/source/anchors", text, StringComparison.Ordinal);
        Assert.Contains("update-ca-trust", text, StringComparison.Ordinal);
        Assert.Contains("certutil", text, StringComparison.Ordinal);
        Assert.Contains("curl --cacert", text, StringComparison.Ordinal);
    }
}
