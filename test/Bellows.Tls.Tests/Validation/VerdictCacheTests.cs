// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

/// <summary>
/// Reusing a server's clean verdict for the same presented certificates (<see cref="VerdictCache"/>): the chain is
/// not built again, and anything that is not exactly the same gets the full validation it would get without the
/// cache.
/// </summary>
public sealed class VerdictCacheTests : IDisposable
{
    private static readonly IPAddress s_ip = IPAddress.Parse("192.0.2.11");

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot("Verdict Cache Test Root");
    private readonly X509Certificate2 _intermediate;
    private readonly string _bundle;

    public VerdictCacheTests()
    {
        _intermediate = TestCertificates.CreateIntermediate(_root, "Verdict Cache Test Intermediate");
        _bundle = _dir.Combine("bundle.pem");
        TestCertificates.WritePem(_bundle, _root);
    }

    public void Dispose()
    {
        _intermediate.Dispose();
        _root.Dispose();
        _dir.Dispose();
    }

    private UpstreamCertificateValidator Validator(TimeProvider? time = null, TimeSpan? lifetime = null) =>
        new(new UpstreamValidationOptions { TrustBundlePath = _bundle, VerdictCacheTime = lifetime ?? TimeSpan.FromMinutes(5) }, time);

    private static CertificateVerdict Handshake(
        UpstreamCertificateValidator validator, string server, X509Certificate2 leaf, X509Certificate2[] sent, out bool trustedNothing)
    {
        var verdict = SimulatedHandshake.Run(validator, server, s_ip, leaf, sent, out var offered);
        trustedNothing = offered.TrustMode == X509ChainTrustMode.CustomRootTrust && offered.CustomTrustStore.Count == 0;
        return verdict;
    }

    [Fact]
    public void SameCertificates_SecondHandshakeBuildsAgainstNothing_AndTheCacheSettlesIt()
    {
        using var leaf = TestCertificates.CreateLeaf(_intermediate, "CN=a.example", ["a.example"]);
        var validator = Validator();

        var first = Handshake(validator, "a.example", leaf, [_intermediate], out bool firstProbe);
        var second = Handshake(validator, "a.example", leaf, [_intermediate], out bool secondProbe);

        Assert.Equal("ok", first.ToString());
        Assert.Equal("ok", second.ToString());
        Assert.True(second.IsTrusted);
        Assert.False(firstProbe);
        Assert.True(secondProbe);
        Assert.Equal(1, validator.VerdictCacheHits);
        Assert.Equal(1, validator.VerdictCacheCount);
    }

    [Fact]
    public void ServerNowPresentsAnExpiredCertificate_JudgedInFull_AndTheEntryDropped()
    {
        var now = DateTimeOffset.UtcNow;
        using var good = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"]);
        using var expired = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));
        var validator = Validator();
        Handshake(validator, "a.example", good, [], out _);

        var changed = Handshake(validator, "a.example", expired, [], out bool probed);
        var back = Handshake(validator, "a.example", good, [], out bool probedAgain);

        Assert.True(probed);
        Assert.Equal(CertificateProblems.Expired, changed.Problems);
        Assert.False(changed.IsTrusted);
        Assert.False(probedAgain); // the failed check removed the entry
        Assert.Equal("ok", back.ToString());
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void SameLeafWithOtherIntermediates_IsNotTheSamePresentation()
    {
        using var leaf = TestCertificates.CreateLeaf(_intermediate, "CN=a.example", ["a.example"]);
        var validator = Validator();
        Handshake(validator, "a.example", leaf, [_intermediate], out _);

        // The server stops sending its intermediate: the chain cannot be built any more.
        var verdict = Handshake(validator, "a.example", leaf, [], out bool probed);

        Assert.True(probed);
        Assert.Equal(CertificateProblems.UnknownIssuer, verdict.Problems);
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void ServerSendsItsRoot_CacheNotUsed_TheBuildWouldSaveNothing()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"]);
        var validator = Validator();
        Handshake(validator, "a.example", leaf, [_root], out _);

        var second = Handshake(validator, "a.example", leaf, [_root], out bool probed);

        Assert.False(probed);
        Assert.Equal("ok", second.ToString());
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void FailedVerdicts_AreNeverKept()
    {
        using var stranger = TestCertificates.CreateRoot("Verdict Cache Stranger");
        using var leaf = TestCertificates.CreateLeaf(stranger, "CN=s.example", ["s.example"]);
        var validator = Validator();

        var first = Handshake(validator, "s.example", leaf, [stranger], out _);
        var second = Handshake(validator, "s.example", leaf, [stranger], out bool probed);

        Assert.Equal(CertificateProblems.UnknownIssuer, first.Problems);
        Assert.Equal(CertificateProblems.UnknownIssuer, second.Problems);
        Assert.False(probed);
        Assert.Equal(0, validator.VerdictCacheCount);
    }

    [Fact]
    public void VerdictIsPerServer_AnotherNameWithTheSameCertificate_IsANameMismatch()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"]);
        var validator = Validator();
        Handshake(validator, "a.example", leaf, [], out _);

        var verdict = Handshake(validator, "other.example", leaf, [], out bool probed);

        Assert.False(probed);
        Assert.Equal(CertificateProblems.NameMismatch, verdict.Problems);
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void Entry_ExpiresAfterItsLifetime()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"]);
        var validator = Validator(clock, TimeSpan.FromMinutes(5));
        Handshake(validator, "a.example", leaf, [], out _);

        clock.Advance(TimeSpan.FromMinutes(4));
        Handshake(validator, "a.example", leaf, [], out bool within);
        clock.Advance(TimeSpan.FromMinutes(2));
        var after = Handshake(validator, "a.example", leaf, [], out bool expired);

        Assert.True(within);
        Assert.False(expired);
        Assert.Equal("ok", after.ToString());
        Assert.Equal(1, validator.VerdictCacheHits);
    }

    [Fact]
    public void Entry_NeverOutlivesTheCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new FixedTimeProvider(now);
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"], notBefore: now.AddDays(-1), notAfter: now.AddMinutes(2));
        var validator = Validator(clock, TimeSpan.FromHours(1));
        Assert.Equal("ok", Handshake(validator, "a.example", leaf, [], out _).ToString());

        clock.Advance(TimeSpan.FromMinutes(3));
        var verdict = Handshake(validator, "a.example", leaf, [], out bool probed);

        Assert.False(probed);
        Assert.Equal(CertificateProblems.Expired, verdict.Problems);
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void LifetimeZero_EveryHandshakeBuildsItsChain()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=a.example", ["a.example"]);
        var validator = Validator(lifetime: TimeSpan.Zero);
        Handshake(validator, "a.example", leaf, [], out _);

        Handshake(validator, "a.example", leaf, [], out bool probed);

        Assert.False(probed);
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public async Task RealSslStream_SecondHandshake_SettledFromTheCache()
    {
        using var leaf = TestCertificates.CreateLeaf(_intermediate, "CN=tls.example", ["tls.example"]);
        using var other = TestCertificates.CreateLeaf(_intermediate, "CN=tls.example", ["tls.example"]);
        var validator = Validator();
        var verdicts = new List<CertificateVerdict>();
        foreach (var served in new[] { leaf, leaf, other, leaf })
        {
            var context = SslStreamCertificateContext.Create(served, [TestCertificates.PublicOnly(_intermediate)], offline: true);
            verdicts.Add(await SimulatedHandshake.RealAsync(validator, "tls.example", s_ip, context));
        }

        // 1: built in full; 2: from the cache; 3: another certificate, built in full (and now kept); 4: the first
        // certificate again, built in full.
        Assert.Equal(["ok", "ok", "ok", "ok"], verdicts.Select(v => v.ToString()));
        Assert.Equal(1, validator.VerdictCacheHits);
    }
}
