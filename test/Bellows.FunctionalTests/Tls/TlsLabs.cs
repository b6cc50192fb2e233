// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// The TLS labs: one per profile, each a few seconds to build, so profiles are grouped: the default (plus a
/// bypass entry and a short hello timeout), warn, and two "allow" labs that also show each allow covers only
/// its own case.
/// </summary>
public abstract class TlsLab : LabFixture
{
    protected abstract string Prefix { get; }

    protected virtual TlsProfileConfig Profile => new();

    protected virtual string? TlsSettingsJson => null;

    protected virtual bool TrustSystemRoots => false;

    protected override LabOptions Options => new()
    {
        Prefix = Prefix,
        Tls = true,
        Acceptors = 1,
        Workers = 2,
        TlsProfile = Profile,
        TlsSettingsJson = TlsSettingsJson,
        TrustSystemRoots = TrustSystemRoots,
    };
}

/// <summary>The origin alone: no Bellows; tests run from the gateway (not diverted) and the server namespace.</summary>
public sealed class TlsOriginLab : TlsLab
{
    protected override string Prefix => "fttlso";

    protected override bool StartsBellows => false;
}

/// <summary>
/// The default profile (inspect, block, soft-fail revocation, relay non-TLS), bypass for bypass.lab.test; upstream
/// trust is the system's roots plus the origin CA, so chains are validated through learned trust anchors.
/// </summary>
public sealed class TlsInspectLab : TlsLab
{
    /// <summary>Short, so the held-open truncated hello is cut within the test's patience.</summary>
    public const int HelloTimeoutSeconds = 2;

    protected override string Prefix => "fttls";

    protected override TlsProfileConfig Profile => new() { BypassSni = [LabOriginNames.Bypass] };

    /// <summary>The NSS key log this lab's Bellows writes (tls.key_log).</summary>
    public static string KeyLogPath => Path.Combine(Path.GetTempPath(), "bellows-lab-fttls", "keys.log");

    protected override string? TlsSettingsJson => $"\"hello_timeout\": {HelloTimeoutSeconds}, \"key_log\": \"{KeyLogPath}\"";

    protected override bool TrustSystemRoots => true;
}

/// <summary>
/// on_failure warn: a failed upstream check shows an HTML warning page to HTTP clients; an accepted warning
/// lasts <see cref="OverrideSeconds"/>, short enough for a test to see it end.
/// </summary>
public sealed class TlsWarnLab : TlsLab
{
    public const int OverrideSeconds = 3;

    protected override string Prefix => "fttlsw";

    protected override TlsProfileConfig Profile => new()
    {
        OnFailure = TlsFailureAction.Warn,
        OverrideDuration = TimeSpan.FromSeconds(OverrideSeconds),
    };
}

/// <summary>allow_self_signed and revocation off (so revoked.lab.test passes); non-TLS bytes dropped.</summary>
public sealed class TlsAllowSelfSignedLab : TlsLab
{
    protected override string Prefix => "fttlsa";

    protected override TlsProfileConfig Profile => new()
    {
        AllowSelfSigned = true,
        Revocation = TlsRevocationMode.Off,
        NonTls = NonTlsAction.Drop,
    };
}

/// <summary>allow_invalid_certs: expired and wrong-name certificates pass; self-signed and revoked do not.</summary>
public sealed class TlsAllowInvalidLab : TlsLab
{
    protected override string Prefix => "fttlsb";

    protected override TlsProfileConfig Profile => new() { AllowInvalidCerts = true };
}

/// <summary>revocation hard-fail: an unknown revocation status blocks (the stapled-OCSP tests).</summary>
public sealed class TlsHardFailLab : TlsLab
{
    protected override string Prefix => "fttlsh";

    protected override TlsProfileConfig Profile => new() { Revocation = TlsRevocationMode.HardFail };
}
