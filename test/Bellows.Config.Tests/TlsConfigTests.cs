// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class TlsConfigTests
{
    private static readonly TlsConfig s_tls = new();
    private static readonly TlsProfileConfig s_profile = new();

    [Fact]
    public void Equals_NewInstances_AreEqualWithEqualHashes()
    {
        Assert.Equal(s_tls, new TlsConfig());
        Assert.Equal(s_tls.GetHashCode(), new TlsConfig().GetHashCode());
        Assert.Equal(s_profile, new TlsProfileConfig());
        Assert.Equal(s_profile.GetHashCode(), new TlsProfileConfig().GetHashCode());
    }

    [Fact]
    public void Equals_SameBypassNamesInNewLists_AreEqualWithEqualHashes()
    {
        var a = s_profile with { BypassSni = ["bank.example", "*.health.example"] };
        var b = s_profile with { BypassSni = new List<string> { "bank.example", "*.health.example" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(s_tls with { Profile = a }, s_tls with { Profile = b });
        Assert.Equal((s_tls with { Profile = a }).GetHashCode(), (s_tls with { Profile = b }).GetHashCode());
    }

    [Fact]
    public void Equals_BypassNamesInOtherOrder_AreNotEqual()
    {
        Assert.NotEqual(
            s_profile with { BypassSni = ["a.example", "b.example"] },
            s_profile with { BypassSni = ["b.example", "a.example"] });
    }

    [Theory]
    [InlineData(nameof(TlsConfig.CaDirectory))]
    [InlineData(nameof(TlsConfig.CertificatesDirectory))]
    [InlineData(nameof(TlsConfig.TrustBundle))]
    [InlineData(nameof(TlsConfig.ExtraTrust))]
    [InlineData(nameof(TlsConfig.HelloTimeout))]
    [InlineData(nameof(TlsConfig.HandshakeTimeout))]
    [InlineData(nameof(TlsConfig.CacheSize))]
    [InlineData(nameof(TlsConfig.KeyLog))]
    [InlineData(nameof(TlsConfig.Profile))]
    public void Equals_TlsPropertyChanged_AreNotEqual(string property)
    {
        var changed = property switch
        {
            nameof(TlsConfig.CaDirectory) => s_tls with { CaDirectory = "/tmp/ca" },
            nameof(TlsConfig.CertificatesDirectory) => s_tls with { CertificatesDirectory = "/tmp/certs" },
            nameof(TlsConfig.TrustBundle) => s_tls with { TrustBundle = "/tmp/roots.pem" },
            nameof(TlsConfig.ExtraTrust) => s_tls with { ExtraTrust = "/tmp/internal-ca.pem" },
            nameof(TlsConfig.HelloTimeout) => s_tls with { HelloTimeout = TimeSpan.FromSeconds(4) },
            nameof(TlsConfig.HandshakeTimeout) => s_tls with { HandshakeTimeout = TimeSpan.FromSeconds(11) },
            nameof(TlsConfig.CacheSize) => s_tls with { CacheSize = 16 },
            nameof(TlsConfig.KeyLog) => s_tls with { KeyLog = "/tmp/keys" },
            _ => s_tls with { Profile = s_profile with { NonTls = NonTlsAction.Drop } },
        };

        Assert.NotEqual(s_tls, changed);
        Assert.NotEqual(changed, s_tls);
    }

    [Theory]
    [InlineData(nameof(TlsProfileConfig.Mode))]
    [InlineData(nameof(TlsProfileConfig.AllowUntrustedIssuers))]
    [InlineData(nameof(TlsProfileConfig.AllowSelfSigned))]
    [InlineData(nameof(TlsProfileConfig.AllowInvalidCerts))]
    [InlineData(nameof(TlsProfileConfig.OnFailure))]
    [InlineData(nameof(TlsProfileConfig.OverrideDuration))]
    [InlineData(nameof(TlsProfileConfig.OverrideScope))]
    [InlineData(nameof(TlsProfileConfig.Revocation))]
    [InlineData(nameof(TlsProfileConfig.BypassSni))]
    [InlineData(nameof(TlsProfileConfig.NonTls))]
    public void Equals_ProfilePropertyChanged_AreNotEqual(string property)
    {
        var changed = property switch
        {
            nameof(TlsProfileConfig.Mode) => s_profile with { Mode = TlsInspectionMode.Bypass },
            nameof(TlsProfileConfig.AllowUntrustedIssuers) => s_profile with { AllowUntrustedIssuers = true },
            nameof(TlsProfileConfig.AllowSelfSigned) => s_profile with { AllowSelfSigned = true },
            nameof(TlsProfileConfig.AllowInvalidCerts) => s_profile with { AllowInvalidCerts = true },
            nameof(TlsProfileConfig.OnFailure) => s_profile with { OnFailure = TlsFailureAction.Warn },
            nameof(TlsProfileConfig.OverrideDuration) => s_profile with { OverrideDuration = TimeSpan.FromMinutes(11) },
            nameof(TlsProfileConfig.OverrideScope) => s_profile with { OverrideScope = TlsOverrideScope.Certificate },
            nameof(TlsProfileConfig.Revocation) => s_profile with { Revocation = TlsRevocationMode.HardFail },
            nameof(TlsProfileConfig.BypassSni) => s_profile with { BypassSni = ["bank.example"] },
            _ => s_profile with { NonTls = NonTlsAction.Drop },
        };

        Assert.NotEqual(s_profile, changed);
        Assert.NotEqual(changed, s_profile);
    }

    [Fact]
    public void BypassSni_InitFromMutableList_IsCopied()
    {
        var source = new List<string> { "bank.example" };
        var profile = s_profile with { BypassSni = source };

        source.Add("other.example");

        Assert.Equal(["bank.example"], profile.BypassSni);
    }

    [Fact]
    public void BypassSni_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => s_profile with { BypassSni = null! });
    }
}
