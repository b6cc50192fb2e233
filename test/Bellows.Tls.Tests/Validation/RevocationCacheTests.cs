// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

/// <summary>
/// The revocation cache as SslStream drives it: <see cref="UpstreamCertificateValidator.ChainPolicyFor"/> gives the
/// policy the handshake's chain is built with, <see cref="UpstreamCertificateValidator.Validate(X509Certificate?, X509Chain?, SslPolicyErrors, string?, IPAddress?, string?)"/>
/// judges it. A real CRL over loopback HTTP says which certificate is revoked.
/// </summary>
public sealed class RevocationCacheTests : IAsyncLifetime
{
    private const string Server = "revocation.example";
    private static readonly IPAddress s_ip = IPAddress.Parse("192.0.2.7");
    private static readonly byte[] s_revokedSerial = [0x21, 0x22, 0x23, 0x24];

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _root = TestCertificates.CreateRoot($"Revocation Cache Test Root {Guid.NewGuid():N}");
    private StaticHttpServer? _crlServer;
    private X509Certificate2? _revoked;
    private X509Certificate2? _good;
    private string _bundle = "";

    public Task InitializeAsync()
    {
        _bundle = _dir.Combine("bundle.pem");
        TestCertificates.WritePem(_bundle, _root);
        var now = DateTimeOffset.UtcNow;
        var crl = new CertificateRevocationListBuilder();
        crl.AddEntry(s_revokedSerial, now.AddDays(-1), X509RevocationReason.KeyCompromise);
        _crlServer = new StaticHttpServer(crl.Build(_root, 1, now.AddDays(7), HashAlgorithmName.SHA256, thisUpdate: now.AddMinutes(-5)), "application/pkix-crl");
        string url = $"http://127.0.0.1:{_crlServer.Port}/root.crl";

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + Server, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Server);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([url]));
        _revoked = request.Create(_root, now.AddDays(-2), now.AddDays(30), s_revokedSerial);
        _good = TestCertificates.CreateLeaf(_root, "CN=" + Server, [Server], crlUrl: url);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_crlServer is not null)
        {
            await _crlServer.DisposeAsync();
        }

        _revoked?.Dispose();
        _good?.Dispose();
        _root.Dispose();
        _dir.Dispose();
    }

    private UpstreamCertificateValidator Validator(TimeProvider? time = null, RevocationCheckMode mode = RevocationCheckMode.SoftFail) =>
        new(new UpstreamValidationOptions { TrustBundlePath = _bundle, Revocation = mode }, time);

    /// <summary>What SslStream does: build the chain with the policy it was given, then call back.</summary>
    private static CertificateVerdict Handshake(UpstreamCertificateValidator validator, X509Certificate2 presented, out X509RevocationMode built)
    {
        using var chain = new X509Chain { ChainPolicy = validator.ChainPolicyFor(Server) };
        built = chain.ChainPolicy.RevocationMode;
        chain.Build(presented);
        return validator.Validate(presented, chain, SslPolicyErrors.None, Server, s_ip, Server);
    }

    [Fact]
    public void SameChain_SecondHandshakeBuildsWithoutRevocation_AndStillReportsRevoked()
    {
        var validator = Validator();

        var first = Handshake(validator, _revoked!, out var firstMode);
        var second = Handshake(validator, _revoked!, out var secondMode);

        Assert.Equal(X509RevocationMode.Online, firstMode);
        Assert.Equal(CertificateProblems.Revoked, first.Problems);
        Assert.Equal(X509RevocationMode.NoCheck, secondMode);
        Assert.Equal(CertificateProblems.Revoked, second.Problems);
        Assert.False(second.IsTrusted);
        Assert.Equal(1, validator.RevocationCacheHits);
    }

    [Fact]
    public void OtherChainForTheSameServer_CheckedAfresh_NeverGivenTheCachedOutcome()
    {
        var validator = Validator();
        Assert.Equal(CertificateProblems.None, Handshake(validator, _good!, out _).Problems);

        // The server now presents the revoked certificate: the policy still leaves revocation out (this server's
        // outcome is cached), but the chain is not the cached one, so it is checked here.
        var switched = Handshake(validator, _revoked!, out var mode);
        var back = Handshake(validator, _good!, out _);

        Assert.Equal(X509RevocationMode.NoCheck, mode);
        Assert.Equal(CertificateProblems.Revoked, switched.Problems);
        Assert.Equal(CertificateProblems.None, back.Problems);
        Assert.Equal(0, validator.RevocationCacheHits);
    }

    [Fact]
    public void Outcome_ExpiresAfterFiveMinutes()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.UtcNow);
        var validator = Validator(clock);
        Handshake(validator, _good!, out _);

        clock.Advance(TimeSpan.FromMinutes(4));
        Handshake(validator, _good!, out var within);
        clock.Advance(TimeSpan.FromMinutes(2));
        Handshake(validator, _good!, out var after);

        Assert.Equal(X509RevocationMode.NoCheck, within);
        Assert.Equal(X509RevocationMode.Online, after);
    }

    [Fact]
    public void GoodChain_VerdictCacheSettlesTheNextHandshake_WhileTheOutcomeIsCached()
    {
        var validator = Validator();

        var first = Handshake(validator, _good!, out _);
        var second = Handshake(validator, _good!, out var secondMode);

        Assert.Equal("ok", first.ToString());
        Assert.Equal("ok", second.ToString());
        Assert.Equal(X509RevocationMode.NoCheck, secondMode);
        Assert.Equal(1, validator.VerdictCacheHits);
    }

    [Fact]
    public void NoRevocationInformation_SoftFail_VerdictKeptWithTheUnknownStatus_HardFail_NeverKept()
    {
        using var bare = TestCertificates.CreateLeaf(_root, "CN=" + Server, [Server]);
        var soft = Validator();
        var hard = Validator(mode: RevocationCheckMode.HardFail);

        Handshake(soft, bare, out _);
        var softSecond = Handshake(soft, bare, out _);
        Handshake(hard, bare, out _);
        var hardSecond = Handshake(hard, bare, out _);

        Assert.Equal(CertificateProblems.RevocationUnknown, softSecond.Problems);
        Assert.True(softSecond.IsTrusted);
        Assert.Equal(1, soft.VerdictCacheHits);
        Assert.Equal(CertificateProblems.RevocationUnknown, hardSecond.Problems);
        Assert.False(hardSecond.IsTrusted);
        Assert.Equal(0, hard.VerdictCacheHits);
    }

    [Fact]
    public void RevocationCacheOff_VerdictsNotReused()
    {
        var validator = new UpstreamCertificateValidator(new UpstreamValidationOptions
        {
            TrustBundlePath = _bundle,
            Revocation = RevocationCheckMode.SoftFail,
            RevocationCacheTime = TimeSpan.Zero,
        });

        Handshake(validator, _good!, out _);
        var second = Handshake(validator, _good!, out var secondMode);

        Assert.Equal("ok", second.ToString());
        Assert.Equal(X509RevocationMode.Online, secondMode);
        Assert.Equal(0, validator.VerdictCacheHits);
    }

    [Fact]
    public void RevocationOff_NothingCached_PolicyNeverChanges()
    {
        var validator = Validator(mode: RevocationCheckMode.Off);

        var first = Handshake(validator, _revoked!, out var firstMode);
        Handshake(validator, _revoked!, out var secondMode);

        Assert.Equal(CertificateProblems.None, first.Problems);
        Assert.Equal(X509RevocationMode.NoCheck, firstMode);
        Assert.Equal(X509RevocationMode.NoCheck, secondMode);
        Assert.Equal(0, validator.RevocationCacheCount);
    }
}
