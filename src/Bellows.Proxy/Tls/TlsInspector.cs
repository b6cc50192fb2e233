// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Bellows.Config;
using Bellows.Tls.Certificates;
using Bellows.Tls.Validation;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Tls;

/// <summary>
/// What every TLS session of the process shares: the CA, the minted-certificate cache, custom certificates,
/// the upstream validator, the profile, accepted warnings and the counters.
/// </summary>
public sealed class TlsInspector : IDisposable
{
    private readonly MintingKeyPool _keys = new();
    private long _inspected;
    private long _bypassed;
    private long _notTls;
    private long _helloErrors;
    private long _handshakeErrors;
    private long _blocked;
    private long _warned;
    private long _overridden;
    private long _customServed;

    public TlsInspector(TlsConfig config, CertificateAuthority authority, CustomCertificateStore custom, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(authority);
        Config = config;
        Profile = config.Profile;
        Authority = authority;
        Custom = custom;
        Time = time ?? TimeProvider.System;
        Certificates = new MintedCertificateCache(new CertificateMinter(authority, Time, _keys), config.CacheSize, Time);
        Validator = new UpstreamCertificateValidator(new UpstreamValidationOptions
        {
            TrustBundlePath = config.TrustBundle,
            ExtraTrustPath = config.ExtraTrust,
            Revocation = config.Profile.Revocation switch
            {
                TlsRevocationMode.Off => RevocationCheckMode.Off,
                TlsRevocationMode.HardFail => RevocationCheckMode.HardFail,
                _ => RevocationCheckMode.SoftFail,
            },
            RevocationCacheTime = config.RevocationCacheTime,
            VerdictCacheTime = config.VerdictCacheTime,
        }, Time);
        Bypass = new SniBypassList(config.Profile.BypassSni);
        Overrides = new TlsOverrides(config.Profile.OverrideScope, config.Profile.OverrideDuration, Time);
    }

    public TlsConfig Config { get; }

    public TlsProfileConfig Profile { get; }

    public CertificateAuthority Authority { get; }

    public CustomCertificateStore Custom { get; }

    public MintedCertificateCache Certificates { get; }

    public UpstreamCertificateValidator Validator { get; }

    public SniBypassList Bypass { get; }

    public TlsOverrides Overrides { get; }

    public TimeProvider Time { get; }

    /// <summary>
    /// Loads the CA from <c>tls.ca_dir</c>, creating one there when the directory holds none, and the custom
    /// certificates. Throws <see cref="CertificateAuthorityException"/> or <see cref="InvalidDataException"/>
    /// with a message that names the file.
    /// </summary>
    public static TlsInspector Create(TlsConfig config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        CertificateAuthority authority;
        if (File.Exists(Path.Combine(config.CaDirectory, CertificateAuthority.CertificateFileName)))
        {
            authority = CertificateAuthority.Load(config.CaDirectory);
        }
        else
        {
            // Like `bellows ca init`: the directory is the CA's alone.
            if (!Directory.Exists(config.CaDirectory))
            {
                Directory.CreateDirectory(config.CaDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            authority = CertificateAuthority.Create(config.CaDirectory, "Bellows CA " + Environment.MachineName);
            TlsLog.CaCreated(logger, authority.CertificatePath ?? config.CaDirectory);
        }

        var custom = CustomCertificateStore.Empty;
        if (config.CertificatesDirectory is { } directory)
        {
            custom = CustomCertificateStore.Load(directory);
            foreach (var error in custom.Errors)
            {
                TlsLog.CustomCertificateSkipped(logger, error);
            }
        }

        if (config.KeyLog is { } keyLog)
        {
            TlsKeyLog.Enable(keyLog);
            TlsLog.KeyLogEnabled(logger, keyLog);
        }

        var inspector = new TlsInspector(config, authority, custom);
        string trust = (config.TrustBundle ?? "system store") + (config.ExtraTrust is { } extra ? " + " + extra : "");
        TlsLog.Ready(logger, authority.Certificate.Subject, trust,
            config.Profile.Revocation.ToString(), custom.Count);
        return inspector;
    }

    /// <summary>
    /// Whether the profile lets a session go on with this verdict. Revocation is never allowed away; an unknown
    /// revocation status only under hard-fail fails.
    /// </summary>
    public bool Allows(CertificateVerdict verdict)
    {
        var problems = verdict.Problems;
        if (Profile.AllowSelfSigned && (problems & CertificateProblems.SelfSigned) != 0)
        {
            // A self-signed leaf is its own (unknown) issuer as well.
            problems &= ~(CertificateProblems.SelfSigned | CertificateProblems.UnknownIssuer);
        }

        if (Profile.AllowUntrustedIssuers)
        {
            problems &= ~CertificateProblems.UnknownIssuer;
        }

        if (Profile.AllowInvalidCerts)
        {
            problems &= ~(CertificateProblems.Expired | CertificateProblems.NotYetValid | CertificateProblems.NameMismatch);
        }

        if (Profile.Revocation != TlsRevocationMode.HardFail)
        {
            problems &= ~CertificateProblems.RevocationUnknown;
        }

        return problems == CertificateProblems.None;
    }

    /// <summary>Key of an override: the SNI, or the address when the client sent none.</summary>
    public static string ServerKey(string? serverName, IPEndPoint destination) => serverName ?? destination.Address.ToString();

    public static string Fingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));

    internal void CountInspected() => Interlocked.Increment(ref _inspected);

    internal void CountBypassed() => Interlocked.Increment(ref _bypassed);

    internal void CountNotTls() => Interlocked.Increment(ref _notTls);

    internal void CountHelloError() => Interlocked.Increment(ref _helloErrors);

    internal void CountHandshakeError() => Interlocked.Increment(ref _handshakeErrors);

    internal void CountBlocked() => Interlocked.Increment(ref _blocked);

    internal void CountWarned() => Interlocked.Increment(ref _warned);

    internal void CountOverridden() => Interlocked.Increment(ref _overridden);

    internal void CountCustomServed() => Interlocked.Increment(ref _customServed);

    public TlsStatistics GetStatistics()
    {
        var cache = Certificates.GetStatistics();
        return new TlsStatistics(
            Interlocked.Read(ref _inspected), Interlocked.Read(ref _bypassed), Interlocked.Read(ref _notTls),
            Interlocked.Read(ref _helloErrors), Interlocked.Read(ref _handshakeErrors), Interlocked.Read(ref _blocked),
            Interlocked.Read(ref _warned), Interlocked.Read(ref _overridden),
            cache.Mints, cache.Hits, cache.Coalesced, cache.Count, Interlocked.Read(ref _customServed),
            Validator.RevocationCacheHits, Validator.RevocationCacheCount,
            Validator.TrustAnchorHits, Validator.ChainRebuilds, Validator.TrustAnchorCount,
            Validator.VerdictCacheHits, Validator.VerdictCacheCount);
    }

    public void Dispose()
    {
        _keys.Dispose();
        Authority.Dispose();
    }
}
