// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.Certificates;

public class MintingKeyPoolTests
{
    [Fact]
    public void Take_HandsOutEachKeyOnce_AndRefillsInTheBackground()
    {
        using var pool = new MintingKeyPool(size: 3, fill: true);
        Assert.Equal(3, pool.Ready);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 12; i++)
        {
            using var key = pool.Take();
            Assert.Equal(256, key.KeySize);
            Assert.True(seen.Add(Convert.ToHexString(key.ExportSubjectPublicKeyInfo())), "a key was handed out twice");
        }

        Assert.True(WaitUntil(() => pool.Ready == 3), $"the pool holds {pool.Ready} keys, not 3, after the takes");
        Assert.Equal(12, pool.Taken + pool.GeneratedInline);
    }

    [Fact]
    public void Take_FromAnEmptyPool_MakesTheKeyAtOnce()
    {
        using var pool = new MintingKeyPool(size: 1);
        Assert.Equal(0, pool.Ready);

        using var key = pool.Take();

        Assert.Equal(256, key.KeySize);
        Assert.Equal(1, pool.GeneratedInline);
        Assert.True(WaitUntil(() => pool.Ready == 1), "the pool did not refill after a take");
    }

    [Fact]
    public void Keys_AreOpenSslKeys_SoBindingOneToACertificateSharesItsHandle()
    {
        // CopyWithPrivateKey shares an ECDsaOpenSsl's key handle but exports and re-imports any other ECDsa
        // (a fifth of a mint): the pool and the minter's own keys must be of that type.
        using var filled = new MintingKeyPool(size: 1, fill: true);
        using var empty = new MintingKeyPool(size: 1);
        using var ready = filled.Take();
        using var inline = empty.Take();

        Assert.IsType<ECDsaOpenSsl>(ready);
        Assert.IsType<ECDsaOpenSsl>(inline);
        Assert.Equal(0, filled.GeneratedInline);
        Assert.Equal(1, empty.GeneratedInline);
    }

    [Fact]
    public void Dispose_DropsTheReadyKeys_AndRefusesTakes()
    {
        var pool = new MintingKeyPool(size: 2, fill: true);
        pool.Dispose();

        Assert.Equal(0, pool.Ready);
        Assert.Throws<ObjectDisposedException>(() => pool.Take());
    }

    [Fact]
    public void Minter_WithAPool_MintsWithItsKeys_EachCertificateItsOwn()
    {
        using var ca = CertificateAuthority.CreateEphemeral("Bellows Key Pool Test CA");
        using var upstream = TestCertificates.CreateLeaf(TestCertificates.CreateRoot("Real CA"), "CN=www.example.com", ["www.example.com"], []);
        using var pool = new MintingKeyPool(size: 2, fill: true);
        var minter = new CertificateMinter(ca, keys: pool);

        using var first = minter.Mint(upstream, "www.example.com", IPAddress.Loopback);
        using var second = minter.Mint(upstream, "www.example.com", IPAddress.Loopback);

        Assert.Equal(2, pool.Taken + pool.GeneratedInline);
        Assert.True(first.HasPrivateKey);
        Assert.True(second.HasPrivateKey);
        Assert.NotEqual(first.PublicKey.EncodedKeyValue.RawData, second.PublicKey.EncodedKeyValue.RawData);
        using var key = first.GetECDsaPrivateKey();
        Assert.NotNull(key);
        byte[] data = [1, 2, 3];
        using var publicKey = first.GetECDsaPublicKey();
        Assert.True(publicKey!.VerifyData(data, key.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }
}
