// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

public sealed class UpstreamCertificateValidatorTests : IDisposable
{
    private static readonly IPAddress s_ip = IPAddress.Parse("192.0.2.1");

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot($"Validator Test Root {Guid.NewGuid():N}");
    private readonly string _bundle;

    public UpstreamCertificateValidatorTests()
    {
        _bundle = _dir.Combine("bundle.pem");
        TestCertificates.WritePem(_bundle, _root);
    }

    public void Dispose()
    {
        _dir.Dispose();
        _root.Dispose();
    }

    private UpstreamCertificateValidator Validator(RevocationCheckMode revocation = RevocationCheckMode.Off) =>
        new(new UpstreamValidationOptions { TrustBundlePath = _bundle, Revocation = revocation });

    [Fact]
    public void Validate_GoodCertificate_IsTrusted()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=good.example", ["good.example"], [s_ip]);

        var verdict = Validator().Validate(leaf, null, "good.example", s_ip);

        Assert.Equal(CertificateProblems.None, verdict.Problems);
        Assert.True(verdict.IsTrusted);
        Assert.Equal("ok", verdict.ToString());
    }

    [Fact]
    public void Validate_Expired_ReportsExpired()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=old.example", ["old.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));

        var verdict = Validator().Validate(leaf, null, "old.example", s_ip);

        Assert.Equal(CertificateProblems.Expired, verdict.Problems);
        Assert.False(verdict.IsTrusted);
        Assert.True(verdict.ChainStatus.HasFlag(X509ChainStatusFlags.NotTimeValid));
    }

    [Fact]
    public void Validate_NotYetValid_ReportsNotYetValid()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=future.example", ["future.example"], notBefore: now.AddDays(2), notAfter: now.AddDays(30));

        var verdict = Validator().Validate(leaf, null, "future.example", s_ip);

        Assert.Equal(CertificateProblems.NotYetValid, verdict.Problems);
    }

    [Fact]
    public void Validate_SelfSignedLeaf_ReportsSelfSigned()
    {
        using var leaf = TestCertificates.CreateLeaf(null, "CN=self.example", ["self.example"]);

        var verdict = Validator().Validate(leaf, null, "self.example", s_ip);

        Assert.Equal(CertificateProblems.SelfSigned, verdict.Problems);
    }

    [Fact]
    public void Validate_SelfSignedLeafInTheBundle_IsTrusted()
    {
        using var leaf = TestCertificates.CreateLeaf(null, "CN=pinned.example", ["pinned.example"]);
        TestCertificates.WritePem(_bundle, _root, leaf);

        Assert.True(Validator().Validate(leaf, null, "pinned.example", s_ip).IsTrusted);
    }

    [Fact]
    public void Validate_IssuerNotTrusted_ReportsUnknownIssuer()
    {
        using var otherRoot = TestCertificates.CreateRoot("Somebody Else's Root");
        using var leaf = TestCertificates.CreateLeaf(otherRoot, "CN=stranger.example", ["stranger.example"]);

        var verdict = Validator().Validate(leaf, null, "stranger.example", s_ip);

        Assert.Equal(CertificateProblems.UnknownIssuer, verdict.Problems);
    }

    [Fact]
    public void Validate_IntermediateMissing_UnknownIssuer_PresentTrusted()
    {
        using var intermediate = TestCertificates.CreateIntermediate(_root, "Validator Intermediate");
        using var leaf = TestCertificates.CreateLeaf(intermediate, "CN=chain.example", ["chain.example"]);
        var validator = Validator();

        var missing = validator.Validate(leaf, null, "chain.example", s_ip);
        var present = validator.Validate(leaf, [TestCertificates.PublicOnly(intermediate)], "chain.example", s_ip);

        Assert.Equal(CertificateProblems.UnknownIssuer, missing.Problems);
        Assert.True(present.IsTrusted, present.ToString());
    }

    [Theory]
    [InlineData("other.example")]
    [InlineData("good.example.evil")]
    public void Validate_WrongName_ReportsNameMismatchOnly(string sni)
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=good.example", ["good.example"]);

        var verdict = Validator().Validate(leaf, null, sni, s_ip);

        Assert.Equal(CertificateProblems.NameMismatch, verdict.Problems);
    }

    [Fact]
    public void Validate_CommonNameOnly_IsNameMismatch()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=cn-only.example");

        Assert.Equal(CertificateProblems.NameMismatch, Validator().Validate(leaf, null, "cn-only.example", s_ip).Problems);
    }

    [Theory]
    [InlineData("a.example.com", true)]
    [InlineData("A.EXAMPLE.COM.", true)]
    [InlineData("a.b.example.com", false)]
    [InlineData("example.com", false)]
    public void Validate_Wildcard_CoversExactlyOneLabel(string sni, bool matches)
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=*.example.com", ["*.example.com"]);

        Assert.Equal(matches, Validator().Validate(leaf, null, sni, s_ip).IsTrusted);
    }

    [Fact]
    public void Validate_WildcardOnTopLevelDomain_NeverMatches()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=*.com", ["*.com"]);

        Assert.Equal(CertificateProblems.NameMismatch, Validator().Validate(leaf, null, "example.com", s_ip).Problems);
    }

    [Fact]
    public void Validate_IpOnlyCertificateWithoutSni_MatchesTheTargetAddress()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=192.0.2.1", addresses: [s_ip]);
        var validator = Validator();

        Assert.True(validator.Validate(leaf, null, null, s_ip).IsTrusted);
        Assert.True(validator.Validate(leaf, null, null, IPAddress.Parse("::ffff:192.0.2.1")).IsTrusted);
        Assert.Equal(CertificateProblems.NameMismatch, validator.Validate(leaf, null, null, IPAddress.Parse("192.0.2.2")).Problems);
        Assert.Equal(CertificateProblems.NameMismatch, validator.Validate(leaf, null, "host.example", s_ip).Problems);
        Assert.True(validator.Validate(leaf, null, "192.0.2.1", null).IsTrusted); // an IP-literal SNI
    }

    [Fact]
    public void Validate_SeveralProblems_AllReported()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = TestCertificates.CreateLeaf(null, "CN=bad.example", ["bad.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));

        var verdict = Validator().Validate(leaf, null, "other.example", s_ip);

        Assert.Equal(CertificateProblems.SelfSigned | CertificateProblems.Expired | CertificateProblems.NameMismatch, verdict.Problems);
    }

    [Fact]
    public void Validate_WrongKeyUsage_ReportsOther()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=client-only.example", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // clientAuth only
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("client-only.example");
        request.CertificateExtensions.Add(san.Build());
        using var leaf = request.Create(_root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [7, 7, 7, 7]);

        var verdict = Validator().Validate(leaf, null, "client-only.example", s_ip);

        Assert.Equal(CertificateProblems.Other, verdict.Problems);
    }

    [Fact]
    public void Validate_NoRevocationUrl_SoftFailToleratesHardFailRejects()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=norev.example", ["norev.example"]);

        var soft = Validator(RevocationCheckMode.SoftFail).Validate(leaf, null, "norev.example", s_ip);
        var hard = Validator(RevocationCheckMode.HardFail).Validate(leaf, null, "norev.example", s_ip);
        var off = Validator(RevocationCheckMode.Off).Validate(leaf, null, "norev.example", s_ip);

        Assert.Equal(CertificateProblems.RevocationUnknown, soft.Problems);
        Assert.True(soft.IsTrusted);
        Assert.Equal(CertificateProblems.RevocationUnknown, hard.Problems);
        Assert.False(hard.IsTrusted);
        Assert.Equal(CertificateProblems.None, off.Problems);
    }

    [Fact]
    public async Task Validate_RevokedOnCrl_ReportsRevoked()
    {
        var now = DateTimeOffset.UtcNow;
        byte[] revokedSerial = [0x11, 0x22, 0x33, 0x44];
        var crlBuilder = new CertificateRevocationListBuilder();
        crlBuilder.AddEntry(revokedSerial, now.AddDays(-1), X509RevocationReason.KeyCompromise);
        byte[] crl = crlBuilder.Build(_root, 1, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5));
        await using var server = new StaticHttpServer(crl, "application/pkix-crl");
        string url = $"http://127.0.0.1:{server.Port}/root.crl";

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=revoked.example", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("revoked.example");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([url]));
        using var revoked = request.Create(_root, now.AddDays(-2), now.AddDays(30), revokedSerial);
        using var good = TestCertificates.CreateLeaf(_root, "CN=fine.example", ["fine.example"], crlUrl: url);

        var validator = Validator(RevocationCheckMode.HardFail);
        var revokedVerdict = validator.Validate(revoked, null, "revoked.example", s_ip);
        var goodVerdict = validator.Validate(good, null, "fine.example", s_ip);

        Assert.Equal(CertificateProblems.Revoked, revokedVerdict.Problems);
        Assert.False(revokedVerdict.IsTrusted);
        Assert.Equal(CertificateProblems.None, goodVerdict.Problems);
        Assert.True(server.Requests >= 1);
    }

    [Fact]
    public void Validate_SystemTrust_DoesNotTrustATestRoot()
    {
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=good.example", ["good.example"]);

        var verdict = new UpstreamCertificateValidator(new UpstreamValidationOptions()).Validate(leaf, null, "good.example", s_ip);

        Assert.Equal(CertificateProblems.UnknownIssuer, verdict.Problems);
    }

    [Fact]
    public void Constructor_BundleWithoutCertificates_Throws()
    {
        string empty = _dir.Combine("empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        Assert.Throws<InvalidDataException>(() => new UpstreamCertificateValidator(new UpstreamValidationOptions { TrustBundlePath = empty }));
    }

    [Fact]
    public void CreateChainPolicy_CarriesTrustRevocationAndServerAuth()
    {
        var policy = Validator(RevocationCheckMode.SoftFail).CreateChainPolicy();

        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Equal(X509RevocationMode.Online, policy.RevocationMode);
        Assert.Equal(X509RevocationFlag.ExcludeRoot, policy.RevocationFlag);
        Assert.True(policy.DisableCertificateDownloads);
        Assert.Single(policy.CustomTrustStore);
        Assert.Equal(TestCertificates.ServerAuth, policy.ApplicationPolicy[0].Value);
        Assert.True(policy.VerificationTimeIgnored); // system clock: each build uses the time of the build
    }

    [Fact]
    public void Validate_InjectedClock_JudgesValidityAtThatTime()
    {
        var now = DateTimeOffset.UtcNow;
        using var leaf = TestCertificates.CreateLeaf(_root, "CN=old.example", ["old.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-1));
        var then = new FixedTimeProvider(now.AddDays(-5));
        var validator = new UpstreamCertificateValidator(new UpstreamValidationOptions { TrustBundlePath = _bundle }, then);

        Assert.True(validator.Validate(leaf, null, "old.example", s_ip).IsTrusted);
        Assert.False(validator.CreateChainPolicy().VerificationTimeIgnored);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Validate_FromSslStreamCallback_SameVerdictWithOrWithoutOurChainPolicy(bool setChainPolicy)
    {
        var now = DateTimeOffset.UtcNow;
        using var intermediate = TestCertificates.CreateIntermediate(_root, "Callback Intermediate");
        using var expired = TestCertificates.CreateLeaf(intermediate, "CN=expired.example", ["expired.example"], notBefore: now.AddDays(-20), notAfter: now.AddDays(-2));
        var validator = Validator();
        CertificateVerdict? seen = null;
        var client = new SslClientAuthenticationOptions
        {
            TargetHost = "expired.example",
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                seen = validator.Validate(certificate, chain, errors, "expired.example", s_ip);
                return true;
            },
        };
        if (setChainPolicy)
        {
            client.CertificateChainPolicy = validator.CreateChainPolicy();
        }

        var context = SslStreamCertificateContext.Create(expired, [TestCertificates.PublicOnly(intermediate)], offline: true);
        await LoopbackTls.HandshakeAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, client);

        Assert.NotNull(seen);
        Assert.Equal(CertificateProblems.Expired, seen.Value.Problems);
        Assert.Equal(setChainPolicy ? 0 : 1, validator.ChainRebuilds); // with our policy SslStream's chain is used as is
    }

    [Fact]
    public void Validate_CallbackWithoutCertificate_IsOther()
    {
        var verdict = Validator().Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable, "x.example", s_ip);

        Assert.Equal(CertificateProblems.Other, verdict.Problems);
        Assert.False(verdict.IsTrusted);
    }
}
