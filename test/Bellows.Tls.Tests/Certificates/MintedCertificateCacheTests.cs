// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.Certificates;

public sealed class MintedCertificateCacheTests : IDisposable
{
    private readonly CertificateAuthority _ca = CertificateAuthority.CreateEphemeral("Bellows Cache Test CA");
    private readonly X509Certificate2 _upstream = TestCertificates.CreateLeaf(null, "CN=*.example.com", ["*.example.com", "example.com"]);

    public void Dispose()
    {
        _ca.Dispose();
        _upstream.Dispose();
    }

    [Fact]
    public async Task SelfSignedCa_ContextServesTheLeafAlone_AndAClientTrustingTheCaAccepts()
    {
        Assert.Null(MintedCertificateCache.IssuerToSend(_ca));
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));
        var minted = await cache.GetOrMintAsync(_upstream, "www.example.com", null);

        Assert.Empty(minted.CertificateContext.IntermediateCertificates);
        await LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificateContext = minted.CertificateContext },
            new SslClientAuthenticationOptions { TargetHost = "www.example.com", CertificateChainPolicy = TrustOnly(_ca.Certificate) });
    }

    [Fact]
    public async Task IntermediateCa_ContextSendsTheCa_SoAClientTrustingOnlyTheRootAccepts()
    {
        using var root = TestCertificates.CreateRoot("Corporate Root");
        using var intermediate = TestCertificates.CreateIntermediate(root, "Bellows Intermediate CA");
        using var dir = new TempDirectory();
        TestCertificates.WritePem(Path.Combine(dir.Path, CertificateAuthority.CertificateFileName), intermediate);
        TestCertificates.WriteKey(Path.Combine(dir.Path, CertificateAuthority.KeyFileName), intermediate);
        using var ca = CertificateAuthority.Load(dir.Path);
        var cache = new MintedCertificateCache(new CertificateMinter(ca));
        var minted = await cache.GetOrMintAsync(_upstream, "www.example.com", null);

        Assert.Equal(intermediate.Thumbprint, MintedCertificateCache.IssuerToSend(ca)?.Thumbprint);
        Assert.Equal([intermediate.Thumbprint], minted.CertificateContext.IntermediateCertificates.Select(c => c.Thumbprint));
        await LoopbackTls.HandshakeAsync(
            new SslServerAuthenticationOptions { ServerCertificateContext = minted.CertificateContext },
            new SslClientAuthenticationOptions { TargetHost = "www.example.com", CertificateChainPolicy = TrustOnly(root) });
    }

    [Fact]
    public async Task GetOrMintAsync_HundredParallelFirstRequests_MintOnce()
    {
        var minter = new CertificateMinter(_ca);
        int mints = 0;
        var cache = new MintedCertificateCache(
            template =>
            {
                Interlocked.Increment(ref mints);
                Thread.Sleep(50); // hold the mint open so that the other requests arrive while it runs
                return minter.Mint(template);
            },
            _ca.Certificate,
            capacity: 10,
            TimeProvider.System);
        // Dedicated threads released together by a barrier: thread-pool tasks would trickle in on 2 cores.
        using var start = new Barrier(100);
        var requests = new Task<MintedCertificate>[100];
        var threads = Enumerable.Range(0, 100).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            requests[i] = cache.GetOrMintAsync(_upstream, "new.other.net", null).AsTask();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var results = await Task.WhenAll(requests);

        Assert.Equal(1, mints);
        Assert.All(results, r => Assert.Same(results[0], r));
        var stats = cache.GetStatistics();
        Assert.Equal(1, stats.Mints);
        Assert.Equal(1, stats.Misses);
        Assert.Equal(99, stats.Coalesced + stats.Hits);
        Assert.Equal(1, stats.Count);
        Assert.True(stats.MintTimeMax >= TimeSpan.FromMilliseconds(40));
    }

    [Fact]
    public async Task GetOrMintAsync_RealMinter_ParallelRequestsShareOneCertificate()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));

        var results = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(_ => Task.Run(async () => await cache.GetOrMintAsync(_upstream, "parallel.example.org", null))));

        Assert.Equal(1, cache.GetStatistics().Mints);
        Assert.All(results, r => Assert.Same(results[0].Certificate, r.Certificate));
    }

    [Fact]
    public async Task GetOrMintAsync_NamesUnderOneWildcard_ShareOneEntry()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));

        var a = await cache.GetOrMintAsync(_upstream, "a.example.com", null);
        var b = await cache.GetOrMintAsync(_upstream, "b.example.com", null);
        var apex = await cache.GetOrMintAsync(_upstream, "example.com", null);
        var deep = await cache.GetOrMintAsync(_upstream, "x.y.example.com", null);

        Assert.Same(a, b);
        Assert.Same(a, apex);
        Assert.NotSame(a, deep); // not covered: its own certificate with an extra SAN
        var stats = cache.GetStatistics();
        Assert.Equal(2, stats.Mints);
        Assert.Equal(2, stats.Hits);
    }

    [Fact]
    public async Task GetOrMintAsync_SelfSignedFlag_IsPartOfTheKey()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));

        var issued = await cache.GetOrMintAsync(_upstream, "a.example.com", null);
        var selfSigned = await cache.GetOrMintAsync(_upstream, "a.example.com", null, selfSigned: true);

        Assert.NotSame(issued, selfSigned);
        Assert.Equal(selfSigned.Certificate.Subject, selfSigned.Certificate.Issuer);
    }

    [Fact]
    public async Task GetOrMintAsync_SameNamesInAnotherOrder_SameKey()
    {
        using var reordered = TestCertificates.CreateLeaf(null, "CN=*.example.com", ["example.com", "*.example.com"]);

        Assert.Equal(
            CertificateTemplate.FromUpstream(_upstream, "a.example.com", null).CacheKey,
            CertificateTemplate.FromUpstream(reordered, "a.example.com", null).CacheKey);
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));
        Assert.Same(await cache.GetOrMintAsync(_upstream, "a.example.com", null), await cache.GetOrMintAsync(reordered, "a.example.com", null));
    }

    [Fact]
    public async Task GetOrMintAsync_OverCapacity_EvictsLeastRecentlyUsed()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca), capacity: 2);

        var a = await cache.GetOrMintAsync(_upstream, "a.one.net", null);
        var b = await cache.GetOrMintAsync(_upstream, "b.two.net", null);
        Assert.Same(a, await cache.GetOrMintAsync(_upstream, "a.one.net", null)); // a is now the most recent
        await cache.GetOrMintAsync(_upstream, "c.three.net", null);                 // evicts b

        Assert.Same(a, await cache.GetOrMintAsync(_upstream, "a.one.net", null));
        Assert.NotSame(b, await cache.GetOrMintAsync(_upstream, "b.two.net", null));
        var stats = cache.GetStatistics();
        Assert.Equal(2, stats.Count);
        Assert.Equal(2, stats.Evictions); // b, then c (or a) when b came back
        Assert.Equal(4, stats.Mints);
    }

    [Fact]
    public async Task GetOrMintAsync_MintFails_AllWaitersSeeItAndNothingIsCached()
    {
        var minter = new CertificateMinter(_ca);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        int calls = 0;
        var cache = new MintedCertificateCache(
            template =>
            {
                if (Interlocked.Increment(ref calls) == 1)
                {
                    entered.Set();
                    release.Wait();
                    throw new InvalidOperationException("mint failed");
                }

                return minter.Mint(template);
            },
            _ca.Certificate,
            capacity: 10,
            TimeProvider.System);

        var first = Task.Run(async () => await cache.GetOrMintAsync(_upstream, "fail.example.net", null));
        entered.Wait();
        var joined = cache.GetOrMintAsync(_upstream, "fail.example.net", null).AsTask();
        release.Set();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => joined);
        var retry = await cache.GetOrMintAsync(_upstream, "fail.example.net", null);

        Assert.NotNull(retry);
        var stats = cache.GetStatistics();
        Assert.Equal(1, stats.MintFailures);
        Assert.Equal(1, stats.Mints);
        Assert.Equal(1, stats.Coalesced);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task GetOrMintAsync_WaiterCancelled_MintStillCompletesForOthers()
    {
        var minter = new CertificateMinter(_ca);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var cache = new MintedCertificateCache(
            template =>
            {
                entered.Set();
                release.Wait();
                return minter.Mint(template);
            },
            _ca.Certificate,
            capacity: 10,
            TimeProvider.System);

        var first = Task.Run(async () => await cache.GetOrMintAsync(_upstream, "cancel.example.net", null));
        entered.Wait();
        using var cts = new CancellationTokenSource();
        var waiter = cache.GetOrMintAsync(_upstream, "cancel.example.net", null, cancellationToken: cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        release.Set();

        Assert.NotNull(await first);
        Assert.Equal(1, cache.GetStatistics().Mints);
    }

    [Fact]
    public async Task GetOrMintAsync_EntryNearExpiry_IsMintedAgain()
    {
        var time = new FixedTimeProvider(DateTimeOffset.UtcNow);
        using var shortLived = TestCertificates.CreateLeaf(null, "CN=short.example", ["short.example"], notAfter: time.GetUtcNow().AddDays(3));
        var cache = new MintedCertificateCache(new CertificateMinter(_ca, time), timeProvider: time);

        var first = await cache.GetOrMintAsync(shortLived, "short.example", null);
        time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(30));
        var second = await cache.GetOrMintAsync(shortLived, "short.example", null);

        Assert.NotSame(first, second);
        Assert.Equal(1, cache.GetStatistics().Renewals);
    }

    [Fact]
    public async Task CertificateContext_IsBuiltOnceAndSendsTheCa()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));
        var minted = await cache.GetOrMintAsync(_upstream, "ctx.example.com", IPAddress.Loopback);

        var context = minted.CertificateContext;

        Assert.Same(context, minted.CertificateContext);
        Assert.Equal(minted.Certificate, context.TargetCertificate);
    }

    [Fact]
    public async Task Clear_DropsEntries()
    {
        var cache = new MintedCertificateCache(new CertificateMinter(_ca));
        await cache.GetOrMintAsync(_upstream, "a.example.com", null);

        cache.Clear();

        Assert.Equal(0, cache.Count);
    }

    private static X509ChainPolicy TrustOnly(X509Certificate2 anchor)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(TestCertificates.PublicOnly(anchor));
        return policy;
    }
}
