// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

/// <summary>
/// Narrowing SslStream's chain build to learned anchors (<see cref="TrustAnchorCache"/>): the verdicts must be
/// exactly those of a build against the full trust store, only cheaper when the chain ends cleanly at a known root.
/// </summary>
public sealed class TrustAnchorTests : IDisposable
{
    private static readonly IPAddress s_ip = IPAddress.Parse("192.0.2.9");

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _rootA = TestCertificates.CreateRoot("Anchor Test Root A");
    private readonly X509Certificate2 _rootB = TestCertificates.CreateRoot("Anchor Test Root B");
    private readonly X509Certificate2 _intermediateA;
    private readonly X509Certificate2[] _otherRoots;
    private readonly string _largeBundle;

    public TrustAnchorTests()
    {
        _intermediateA = TestCertificates.CreateIntermediate(_rootA, "Anchor Test Intermediate A");
        _otherRoots = [.. Enumerable.Range(1, 6).Select(i => TestCertificates.CreateRoot($"Anchor Test Other Root {i}"))];
        _largeBundle = _dir.Combine("large.pem");
        TestCertificates.WritePem(_largeBundle, [.. _otherRoots, _rootA, _rootB]);
    }

    public void Dispose()
    {
        foreach (var certificate in _otherRoots.Append(_rootA).Append(_rootB).Append(_intermediateA))
        {
            certificate.Dispose();
        }

        _dir.Dispose();
    }

    /// <summary>A validator without the <see cref="VerdictCache"/>, which would settle repeated handshakes before the anchors are asked.</summary>
    private UpstreamCertificateValidator Validator(string? bundle = null, string? extra = null, TimeProvider? time = null) =>
        new(new UpstreamValidationOptions { TrustBundlePath = bundle ?? _largeBundle, ExtraTrustPath = extra, VerdictCacheTime = TimeSpan.Zero }, time);

    private static CertificateVerdict Handshake(
        UpstreamCertificateValidator validator, string server, X509Certificate2 leaf, X509Certificate2[] sent, out int anchorsOffered)
    {
        var verdict = SimulatedHandshake.Run(validator, server, s_ip, leaf, sent, out var offered);
        anchorsOffered = offered.TrustMode == X509ChainTrustMode.CustomRootTrust ? offered.CustomTrustStore.Count : -1;
        return verdict;
    }

    [Fact]
    public void FirstHandshake_FullBuild_LaterHandshakes_OnlyTheLearnedAnchor()
    {
        using var leaf = TestCertificates.CreateLeaf(_intermediateA, "CN=a.example", ["a.example"]);
        var validator = Validator();

        var first = Handshake(validator, "a.example", leaf, [_intermediateA], out int firstOffered);
        var second = Handshake(validator, "a.example", leaf, [_intermediateA], out int secondOffered);

        Assert.Equal("ok", first.ToString());
        Assert.Equal("ok", second.ToString());
        Assert.Equal(0, firstOffered); // nothing learned yet: the full store decides
        Assert.Equal(1, secondOffered);
        Assert.Equal(1, validator.ChainRebuilds);
        Assert.Equal(1, validator.TrustAnchorHits);
        Assert.Equal(1, validator.TrustAnchorCount);
    }

    [Fact]
    public void UnseenServer_IsOfferedEveryLearnedAnchor()
    {
        using var leafA = TestCertificates.CreateLeaf(_intermediateA, "CN=a.example", ["a.example"]);
        using var leafB = TestCertificates.CreateLeaf(_rootB, "CN=b.example", ["b.example"]);
        using var leafA2 = TestCertificates.CreateLeaf(_rootA, "CN=a2.example", ["a2.example"]);
        var validator = Validator();
        Handshake(validator, "a.example", leafA, [_intermediateA], out _);
        Handshake(validator, "b.example", leafB, [], out _);

        var verdict = Handshake(validator, "a2.example", leafA2, [], out int offered);

        Assert.Equal("ok", verdict.ToString());
        Assert.Equal(2, offered);
        Assert.Equal(2, validator.ChainRebuilds);
        Assert.Equal(1, validator.TrustAnchorHits);
    }

    [Fact]
    public void ServerMovesToAnotherTrustedRoot_FullStoreDecides_AndTheNewRootIsLearned()
    {
        using var underA = TestCertificates.CreateLeaf(_rootA, "CN=moving.example", ["moving.example"]);
        using var underB = TestCertificates.CreateLeaf(_rootB, "CN=moving.example", ["moving.example"]);
        var validator = Validator();
        Handshake(validator, "moving.example", underA, [], out _);

        var moved = Handshake(validator, "moving.example", underB, [], out int offeredWhenMoved);
        var after = Handshake(validator, "moving.example", underB, [], out _);

        Assert.Equal(1, offeredWhenMoved); // root A only: that build cannot end at B
        Assert.Equal("ok", moved.ToString());
        Assert.Equal("ok", after.ToString());
        Assert.Equal(2, validator.ChainRebuilds);
        Assert.Equal(1, validator.TrustAnchorHits);
        Assert.Equal(2, validator.TrustAnchorCount);
    }

    [Fact]
    public void ProblemUnderALearnedAnchor_IsJudgedByTheFullStore()
    {
        var now = DateTimeOffset.UtcNow;
        using var good = TestCertificates.CreateLeaf(_rootA, "CN=a.example", ["a.example"]);
        using var expired = TestCertificates.CreateLeaf(_rootA, "CN=a.example", ["a.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));
        var validator = Validator();
        Handshake(validator, "a.example", good, [], out _);

        var verdict = Handshake(validator, "a.example", expired, [], out int offered);

        Assert.Equal(1, offered);
        Assert.Equal(CertificateProblems.Expired, verdict.Problems);
        Assert.Equal(2, validator.ChainRebuilds);
        Assert.Equal(0, validator.TrustAnchorHits);
    }

    [Fact]
    public void UntrustedRoot_IsUnknownIssuer_AndNeverLearned()
    {
        using var stranger = TestCertificates.CreateRoot("Anchor Test Stranger");
        using var leaf = TestCertificates.CreateLeaf(stranger, "CN=s.example", ["s.example"]);
        var validator = Validator();

        var first = Handshake(validator, "s.example", leaf, [stranger], out _);
        var second = Handshake(validator, "s.example", leaf, [stranger], out int offered);

        Assert.Equal(CertificateProblems.UnknownIssuer, first.Problems);
        Assert.Equal(CertificateProblems.UnknownIssuer, second.Problems);
        Assert.Equal(0, offered);
        Assert.Equal(0, validator.TrustAnchorCount);
        Assert.Equal(0, validator.TrustAnchorHits);
    }

    [Fact]
    public void NameMismatch_UnderALearnedAnchor_StillReported()
    {
        using var leaf = TestCertificates.CreateLeaf(_rootA, "CN=a.example", ["a.example"]);
        var validator = Validator();
        Handshake(validator, "a.example", leaf, [], out _);

        var verdict = Handshake(validator, "other.example", leaf, [], out _);

        Assert.Equal(CertificateProblems.NameMismatch, verdict.Problems);
        Assert.Equal(1, validator.TrustAnchorHits); // the chain is fine: only the name is wrong
    }

    [Fact]
    public void SmallBundle_IsUsedWhole()
    {
        string small = _dir.Combine("small.pem");
        TestCertificates.WritePem(small, _rootA);
        using var leaf = TestCertificates.CreateLeaf(_rootA, "CN=a.example", ["a.example"]);
        var validator = Validator(small);

        var first = Handshake(validator, "a.example", leaf, [], out int offered);
        Handshake(validator, "a.example", leaf, [], out _);

        Assert.Equal("ok", first.ToString());
        Assert.Equal(1, offered);
        Assert.Equal(0, validator.ChainRebuilds);
        Assert.Equal(0, validator.TrustAnchorCount);
    }

    [Fact]
    public void ExtraTrust_AddsToTheSystemRoots()
    {
        string extra = _dir.Combine("extra.pem");
        TestCertificates.WritePem(extra, _rootB);
        using var leaf = TestCertificates.CreateLeaf(_rootB, "CN=b.example", ["b.example"]);
        var validator = new UpstreamCertificateValidator(new UpstreamValidationOptions { ExtraTrustPath = extra });
        using var systemRoots = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        systemRoots.Open(OpenFlags.ReadOnly);

        var policy = validator.CreateChainPolicy();
        var verdict = Handshake(validator, "b.example", leaf, [], out _);

        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal(systemRoots.Certificates.Count + 1, policy.CustomTrustStore.Count);
        Assert.Equal("ok", verdict.ToString());
    }

    [Fact]
    public void ExtraTrust_AddsToABundle()
    {
        string small = _dir.Combine("a.pem");
        string extra = _dir.Combine("b.pem");
        TestCertificates.WritePem(small, _rootA);
        TestCertificates.WritePem(extra, _rootB);
        using var underA = TestCertificates.CreateLeaf(_rootA, "CN=a.example", ["a.example"]);
        using var underB = TestCertificates.CreateLeaf(_rootB, "CN=b.example", ["b.example"]);
        var validator = Validator(small, extra);

        Assert.Equal("ok", validator.Validate(underA, null, "a.example", s_ip).ToString());
        Assert.Equal("ok", validator.Validate(underB, null, "b.example", s_ip).ToString());
        Assert.Equal(2, validator.CreateChainPolicy().CustomTrustStore.Count);
    }

    [Fact]
    public void Cache_AnchorsExpire_ServersForgetThem()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var cache = new TrustAnchorCache(clock, TimeSpan.FromMinutes(10), serverCapacity: 8, anchorCapacity: 4);
        cache.Learn(_rootA, "a");

        Assert.Equal([_rootA.RawData], cache.AnchorsFor("a").Select(c => c.RawData));
        Assert.Single(cache.AnchorsFor("unseen"));
        Assert.True(cache.IsAnchor(_rootA, "a2"));

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Empty(cache.AnchorsFor("a"));
        Assert.Empty(cache.AnchorsFor("a2"));
        Assert.False(cache.IsAnchor(_rootA, "a"));
    }

    [Fact]
    public void Cache_Bounded_NewestAnchorsKept()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var cache = new TrustAnchorCache(clock, TimeSpan.FromHours(1), serverCapacity: 2, anchorCapacity: 3);
        foreach (var (root, i) in _otherRoots.Select((r, i) => (r, i)))
        {
            cache.Learn(root, "server" + i);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, cache.AnchorCount);
        Assert.True(cache.ServerCount <= 2);
        Assert.True(cache.IsAnchor(_otherRoots[^1], null));
        Assert.False(cache.IsAnchor(_otherRoots[0], null));
    }

    [Fact]
    public async Task RealSslStream_SecondHandshake_SettledByTheAnchorBuild()
    {
        using var leaf = TestCertificates.CreateLeaf(_intermediateA, "CN=tls.example", ["tls.example"]);
        var context = SslStreamCertificateContext.Create(leaf, [TestCertificates.PublicOnly(_intermediateA)], offline: true);
        var validator = Validator();
        var verdicts = new List<CertificateVerdict>();
        for (int i = 0; i < 2; i++)
        {
            verdicts.Add(await SimulatedHandshake.RealAsync(validator, "tls.example", s_ip, context));
        }

        Assert.Equal(["ok", "ok"], verdicts.Select(v => v.ToString()));
        Assert.Equal(1, validator.ChainRebuilds);
        Assert.Equal(1, validator.TrustAnchorHits);
    }
}
