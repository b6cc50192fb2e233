// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.Certificates;

public sealed class CustomCertificateStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot("Custom Root");
    private readonly X509Certificate2 _intermediate;

    public CustomCertificateStoreTests()
    {
        _intermediate = TestCertificates.CreateIntermediate(_root, "Custom Intermediate");
    }

    public void Dispose()
    {
        _dir.Dispose();
        _root.Dispose();
        _intermediate.Dispose();
    }

    private X509Certificate2 AddFolder(string kind, string name, string layout, UnixFileMode keyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string folder = _dir.Combine(kind, name);
        Directory.CreateDirectory(folder);
        var leaf = TestCertificates.CreateLeaf(_intermediate, $"CN={name}", [kind == "sni" ? name : "ip.example"]);
        TestCertificates.WriteKey(Path.Combine(folder, "key.pem"), leaf, keyMode);
        switch (layout)
        {
            case "fullchain":
                TestCertificates.WritePem(Path.Combine(folder, "fullchain.pem"), leaf, _intermediate);
                break;
            case "cert+issuer":
                TestCertificates.WritePem(Path.Combine(folder, "cert.pem"), leaf);
                TestCertificates.WritePem(Path.Combine(folder, "issuer.pem"), _intermediate);
                break;
            default:
                TestCertificates.WritePem(Path.Combine(folder, "cert.pem"), leaf);
                break;
        }

        return leaf;
    }

    [Fact]
    public void Load_SniAndIpFolders_FoundByExactNameOrAddress()
    {
        var full = AddFolder("sni", "full.example", "fullchain");
        var split = AddFolder("sni", "split.example", "cert+issuer");
        var ip = AddFolder("ip", "192.0.2.7", "cert");
        var ip6 = AddFolder("ip", "2001:db8::7", "cert");

        var store = CustomCertificateStore.Load(_dir.Path);

        Assert.Empty(store.Errors);
        Assert.Equal(4, store.Count);
        Assert.True(store.TryGet("full.example", null, out var a));
        Assert.Equal(full.Thumbprint, a.Certificate.Thumbprint);
        Assert.True(a.Certificate.HasPrivateKey);
        Assert.Equal([_intermediate.Thumbprint], a.Issuers.Select(c => c.Thumbprint));
        Assert.True(store.TryGet("split.example", IPAddress.Parse("192.0.2.7"), out var b));
        Assert.Equal(split.Thumbprint, b.Certificate.Thumbprint); // SNI wins over the address
        Assert.Single(b.Issuers);
        Assert.True(store.TryGet(null, IPAddress.Parse("192.0.2.7"), out var c));
        Assert.Equal(ip.Thumbprint, c.Certificate.Thumbprint);
        Assert.Empty(c.Issuers);
        Assert.True(store.TryGet("unknown.example", IPAddress.Parse("::ffff:192.0.2.7"), out var d));
        Assert.Equal(ip.Thumbprint, d.Certificate.Thumbprint);
        Assert.True(store.TryGet(null, IPAddress.Parse("2001:db8:0::7"), out var e));
        Assert.Equal(ip6.Thumbprint, e.Certificate.Thumbprint);
    }

    [Theory]
    [InlineData("FULL.Example", true)]
    [InlineData("full.example.", true)]
    [InlineData("www.full.example", false)] // no parent or wildcard fallback
    [InlineData("example", false)]
    public void TryGet_MatchesExactNameOnly(string sni, bool found)
    {
        AddFolder("sni", "full.example", "fullchain");
        var store = CustomCertificateStore.Load(_dir.Path);

        Assert.Equal(found, store.TryGet(sni, null, out _));
    }

    [Fact]
    public void Load_BadFolders_SkippedWithOneErrorEach()
    {
        AddFolder("sni", "good.example", "fullchain");
        AddFolder("sni", "open.example", "fullchain", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Directory.CreateDirectory(_dir.Combine("sni", "nokey.example"));
        Directory.CreateDirectory(_dir.Combine("sni", "bad name!"));
        Directory.CreateDirectory(_dir.Combine("ip", "not-an-ip"));
        string nocert = _dir.Combine("sni", "nocert.example");
        Directory.CreateDirectory(nocert);
        using (var leaf = TestCertificates.CreateLeaf(null, "CN=nocert.example", ["nocert.example"]))
        {
            TestCertificates.WriteKey(Path.Combine(nocert, "key.pem"), leaf);
        }

        var store = CustomCertificateStore.Load(_dir.Path);

        Assert.Equal(1, store.Count);
        Assert.True(store.TryGet("good.example", null, out _));
        Assert.Equal(5, store.Errors.Length);
        Assert.Contains(store.Errors, e => e.StartsWith("sni/open.example:", StringComparison.Ordinal) && e.Contains("chmod 600", StringComparison.Ordinal));
        Assert.Contains("sni/nokey.example: key.pem is missing", store.Errors);
        Assert.Contains("sni/nocert.example: neither fullchain.pem nor cert.pem exists", store.Errors);
        Assert.Contains("sni/bad name!: not a host name", store.Errors);
        Assert.Contains("ip/not-an-ip: not an IP address", store.Errors);
    }

    [Fact]
    public void Load_MissingDirectory_IsEmpty()
    {
        var store = CustomCertificateStore.Load(_dir.Combine("does-not-exist"));

        Assert.Equal(0, store.Count);
        Assert.Empty(store.Errors);
        Assert.False(store.TryGet("a.example", IPAddress.Loopback, out _));
    }

    [Fact]
    public async Task CertificateContext_ServesLeafAndIntermediate()
    {
        AddFolder("sni", "served.example", "fullchain");
        var store = CustomCertificateStore.Load(_dir.Path);
        Assert.True(store.TryGet("served.example", null, out var custom));
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(TestCertificates.PublicOnly(_root)); // the client knows the root only

        await LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificateContext = custom.CertificateContext },
            new SslClientAuthenticationOptions { TargetHost = "served.example", CertificateChainPolicy = policy });
    }
}
