// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.Certificates;

public sealed class CertificateMinterTests : IDisposable
{
    private static readonly IPAddress s_target = IPAddress.Parse("192.0.2.10");

    private readonly CertificateAuthority _ca = CertificateAuthority.CreateEphemeral("Bellows Minter Test CA");
    private readonly X509Certificate2 _upstream = TestCertificates.CreateLeaf(
        TestCertificates.CreateRoot("Real Public CA"),
        "CN=www.example.com, O=Example Inc, L=Springfield, C=US",
        ["www.example.com", "*.static.example.com", "example.com"],
        [IPAddress.Parse("198.51.100.7")]);

    public void Dispose()
    {
        _ca.Dispose();
        _upstream.Dispose();
    }

    [Fact]
    public void Mint_ChainsToTheCa()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "www.example.com", s_target);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(TestCertificates.ServerAuth));

        Assert.True(chain.Build(minted), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(2, chain.ChainElements.Count);
        Assert.True(minted.HasPrivateKey);
    }

    [Fact]
    public void Mint_CopiesSubjectAndSans()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "www.example.com", s_target);

        Assert.Equal(_upstream.SubjectName.RawData, minted.SubjectName.RawData);
        Assert.Equal(_ca.Certificate.Subject, minted.Issuer);
        var san = minted.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["www.example.com", "*.static.example.com", "example.com"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("198.51.100.7")], san.EnumerateIPAddresses());
        Assert.False(san.Critical);
    }

    [Theory]
    [InlineData("other.example.net", "other.example.net")] // not covered: added
    [InlineData("img.static.example.com", null)]           // covered by the wildcard
    [InlineData("a.b.static.example.com", "a.b.static.example.com")] // a wildcard covers one label only
    [InlineData("static.example.com", "static.example.com")]
    [InlineData("WWW.Example.com", null)]                  // names compare case-insensitively
    public void Mint_Sni_AddedOnlyWhenNotCovered(string sni, string? expectedExtra)
    {
        var template = CertificateTemplate.FromUpstream(_upstream, sni, s_target);
        using var minted = new CertificateMinter(_ca).Mint(template);

        Assert.Equal(expectedExtra, template.ExtraDnsName);
        Assert.Null(template.ExtraIPAddress); // with an SNI the address is not added
        var names = minted.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.Equal(expectedExtra is null ? 3 : 4, names.Count);
        if (expectedExtra is not null)
        {
            Assert.Equal(expectedExtra, names[^1]);
        }
    }

    [Fact]
    public void Mint_NoSniAndAddressMissing_AddsIpSan()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, serverName: null, s_target);

        var san = minted.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([IPAddress.Parse("198.51.100.7"), s_target], san.EnumerateIPAddresses());
    }

    [Theory]
    [InlineData("198.51.100.7")]
    [InlineData("::ffff:198.51.100.7")] // IPv4-mapped from a dual-stack socket
    public void Mint_NoSniAndAddressPresent_AddsNothing(string target)
    {
        var template = CertificateTemplate.FromUpstream(_upstream, null, IPAddress.Parse(target));

        Assert.Null(template.ExtraIPAddress);
        Assert.Null(template.ExtraDnsName);
    }

    [Fact]
    public void Mint_IpLiteralSni_AddedAsIpSan()
    {
        var template = CertificateTemplate.FromUpstream(_upstream, "203.0.113.5", s_target);

        Assert.Equal(IPAddress.Parse("203.0.113.5"), template.ExtraIPAddress);
        Assert.Null(template.ExtraDnsName);
    }

    [Fact]
    public void Mint_Validity_BackdatedOneDayAndCappedAt397Days()
    {
        var time = new FixedTimeProvider(DateTimeOffset.UtcNow);
        using var ca = CertificateAuthority.CreateEphemeral("Time CA", new FixedTimeProvider(time.GetUtcNow().AddDays(-30)));
        using var upstream = TestCertificates.CreateLeaf(null, "CN=long.example", ["long.example"], notAfter: time.GetUtcNow().AddDays(1000));

        using var minted = new CertificateMinter(ca, time).Mint(upstream, "long.example", null);

        var now = time.GetUtcNow().UtcDateTime;
        Assert.Equal(Truncate(now.AddDays(-1)), minted.NotBefore.ToUniversalTime());
        Assert.Equal(Truncate(now.AddDays(397)), minted.NotAfter.ToUniversalTime());
        Assert.True(minted.NotAfter - minted.NotBefore <= TimeSpan.FromDays(398));
    }

    [Fact]
    public void Mint_Validity_NeverOutlivesTheRealCertificate()
    {
        var time = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var realNotAfter = time.GetUtcNow().AddDays(10);
        using var upstream = TestCertificates.CreateLeaf(null, "CN=short.example", ["short.example"], notAfter: realNotAfter);

        using var minted = new CertificateMinter(_ca, time).Mint(upstream, "short.example", null);

        Assert.Equal(Truncate(realNotAfter.UtcDateTime), minted.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Mint_Validity_ExpiredRealCertificate_StillOneDay()
    {
        var time = new FixedTimeProvider(DateTimeOffset.UtcNow);
        using var upstream = TestCertificates.CreateLeaf(null, "CN=old.example", ["old.example"],
            notBefore: time.GetUtcNow().AddDays(-100), notAfter: time.GetUtcNow().AddDays(-5));

        using var minted = new CertificateMinter(_ca, time).Mint(upstream, "old.example", null);

        Assert.Equal(Truncate(time.GetUtcNow().UtcDateTime.AddDays(1)), minted.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Mint_Extensions_AreLeafServerAuthWithAuthorityKeyId()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "www.example.com", null);

        var basic = minted.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.False(basic.CertificateAuthority);
        Assert.True(basic.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, minted.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        var eku = minted.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal([TestCertificates.ServerAuth], eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.NotNull(minted.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier);
        var aki = minted.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(_ca.SubjectKeyIdentifier.ToArray(), aki.KeyIdentifier!.Value.ToArray());
        Assert.Equal("1.2.840.10045.2.1", minted.PublicKey.Oid.Value);
        Assert.Equal("1.2.840.10045.4.3.2", minted.SignatureAlgorithm.Value); // ecdsa-with-SHA256
    }

    [Fact]
    public void Mint_SerialNumbers_Are16BytePositiveAndUnique()
    {
        var minter = new CertificateMinter(_ca);
        var serials = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            using var minted = minter.Mint(_upstream, $"h{i}.example.net", null);
            byte[] serial = minted.SerialNumberBytes.ToArray(); // big-endian, as encoded
            Assert.Equal(16, serial.Length);
            Assert.True(serial[0] is > 0 and < 0x80);
            Assert.True(serials.Add(minted.SerialNumber));
        }
    }

    [Fact]
    public void Mint_EachCertificateHasItsOwnKey()
    {
        var minter = new CertificateMinter(_ca);
        using var a = minter.Mint(_upstream, "a.example.net", null);
        using var b = minter.Mint(_upstream, "b.example.net", null);

        Assert.NotEqual(a.GetPublicKey(), b.GetPublicKey());
    }

    [Fact]
    public void Mint_EmptySubject_SanIsCritical()
    {
        using var upstream = TestCertificates.CreateLeaf(null, "", ["empty-subject.example"]);

        using var minted = new CertificateMinter(_ca).Mint(upstream, "empty-subject.example", null);

        Assert.True(minted.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Critical);
    }

    [Fact]
    public void Mint_SelfSigned_IssuerIsSubjectAndChainIsUntrusted()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "www.example.com", null, selfSigned: true);

        Assert.Equal(minted.Subject, minted.Issuer);
        Assert.Empty(minted.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.False(chain.Build(minted));
        Assert.Contains(chain.ChainStatus, s => s.Status == X509ChainStatusFlags.UntrustedRoot);
    }

    [Fact]
    public void Mint_OpenSslVerify_Passes()
    {
        using var dir = new TempDirectory();
        using var ca = CertificateAuthority.Create(dir.Path, "Bellows OpenSSL Verify CA");
        using var minted = new CertificateMinter(ca).Mint(_upstream, "shop.example.org", s_target);
        string leafPath = dir.Combine("leaf.pem");
        TestCertificates.WritePem(leafPath, minted);

        var (code, output) = ProcessRunner.Run(
            "openssl", "verify", "-CAfile", ca.CertificatePath!, "-purpose", "sslserver", "-verify_hostname", "shop.example.org", leafPath);

        Assert.True(code == 0, output);
        Assert.Contains(": OK", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls12)]
    public async Task Mint_SslStreamHandshake_ClientTrustingOnlyTheCaSucceeds(SslProtocols protocol)
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));
        var minted = await cache.GetOrMintAsync(_upstream, "www.example.com", s_target);
        var clientPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        clientPolicy.CustomTrustStore.Add(_ca.Certificate);

        var negotiated = await LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificateContext = minted.CertificateContext, EnabledSslProtocols = protocol },
            new SslClientAuthenticationOptions { TargetHost = "www.example.com", CertificateChainPolicy = clientPolicy, EnabledSslProtocols = protocol });

        Assert.Equal(protocol, negotiated);
    }

    [Fact]
    public async Task Mint_SslStreamHandshake_BareCertificateAlsoWorks()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "added.example.net", null);
        var clientPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        clientPolicy.CustomTrustStore.Add(_ca.Certificate);

        await LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificate = minted },
            new SslClientAuthenticationOptions { TargetHost = "added.example.net", CertificateChainPolicy = clientPolicy });
    }

    [Fact]
    public async Task Mint_SslStreamHandshake_ClientNotTrustingTheCaFails()
    {
        using var minted = new CertificateMinter(_ca).Mint(_upstream, "www.example.com", null);
        using var otherRoot = TestCertificates.CreateRoot("Some Other Root");
        var clientPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        clientPolicy.CustomTrustStore.Add(TestCertificates.PublicOnly(otherRoot));

        await Assert.ThrowsAsync<AuthenticationException>(() => LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificate = minted },
            new SslClientAuthenticationOptions { TargetHost = "www.example.com", CertificateChainPolicy = clientPolicy }));
    }

    private static DateTime Truncate(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
