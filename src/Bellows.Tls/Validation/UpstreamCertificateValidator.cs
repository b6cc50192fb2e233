// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Internal;

namespace Bellows.Tls.Validation;

/// <summary>
/// Judges the certificate an upstream server presented: chain trust, validity, revocation and name.
/// </summary>
/// <remarks>
/// <para>
/// Use from SslStream's <see cref="RemoteCertificateValidationCallback"/>: set
/// <see cref="SslClientAuthenticationOptions.CertificateChainPolicy"/> to <see cref="CreateChainPolicy"/> so the
/// chain is built once with this trust store and revocation mode, and call
/// <see cref="Validate(X509Certificate?, X509Chain?, SslPolicyErrors, string?, IPAddress?)"/> from the callback.
/// A chain built with another policy is rebuilt here with the server's certificates as extra store.
/// </para>
/// <para>
/// With revocation on and a server key (SNI and address), <see cref="ChainPolicyFor"/> leaves revocation out of
/// SslStream's chain build when this server's outcome for its chain is still in the <see cref="RevocationCache"/>,
/// and <see cref="Validate(X509Certificate?, X509Chain?, SslPolicyErrors, string?, IPAddress?, string?)"/> adds the
/// cached outcome (or, for a chain it has not seen, checks revocation itself).
/// </para>
/// <para>
/// The name check is done here, not by SslStream: the SNI against the DNS SANs (a wildcard stands for exactly
/// one left-most label), or without SNI the target address against the IP SANs. The subject CN is not
/// consulted (browsers stopped doing so; minted certificates always carry SANs).
/// </para>
/// </remarks>
public sealed class UpstreamCertificateValidator
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private readonly UpstreamValidationOptions _options;
    private readonly X509Certificate2Collection? _trustBundle;
    private readonly TimeProvider _time;
    private readonly RevocationCache? _revocationCache;
    private long _chainRebuilds;
    private long _revocationCacheHits;

    public UpstreamCertificateValidator(UpstreamValidationOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        if (options.Revocation != RevocationCheckMode.Off && options.RevocationCacheTime > TimeSpan.Zero)
        {
            _revocationCache = new RevocationCache(_time, options.RevocationCacheTime, Math.Max(1, options.RevocationCacheSize));
        }

        if (options.TrustBundlePath is { } path)
        {
            _trustBundle = [];
            _trustBundle.ImportFromPemFile(path);
            if (_trustBundle.Count == 0)
            {
                throw new InvalidDataException($"trust bundle '{path}' contains no PEM certificates");
            }
        }
    }

    /// <summary>Callback validations whose chain had been built with another policy and was built again here.</summary>
    internal long ChainRebuilds => Interlocked.Read(ref _chainRebuilds);

    /// <summary>Validations whose revocation outcome came from the <see cref="RevocationCache"/>.</summary>
    public long RevocationCacheHits => Interlocked.Read(ref _revocationCacheHits);

    /// <summary>Servers whose revocation outcome is cached.</summary>
    public int RevocationCacheCount => _revocationCache?.Count ?? 0;

    private X509ChainTrustMode TrustMode => _trustBundle is null ? X509ChainTrustMode.System : X509ChainTrustMode.CustomRootTrust;

    private X509RevocationMode RevocationMode =>
        _options.Revocation == RevocationCheckMode.Off ? X509RevocationMode.NoCheck : X509RevocationMode.Online;

    /// <summary>
    /// Whether validating a chain may wait on the network (revocation checks, intermediate downloads): the
    /// caller must not validate on a thread that others depend on.
    /// </summary>
    public bool MayWaitOnNetwork => _options.Revocation != RevocationCheckMode.Off || _options.DownloadMissingIntermediates;

    /// <summary>
    /// The chain policy for SslStream's handshake with the server <paramref name="serverKey"/> names: as
    /// <see cref="CreateChainPolicy"/>, but without revocation when that server's revocation outcome is cached.
    /// </summary>
    public X509ChainPolicy ChainPolicyFor(string? serverKey)
    {
        var policy = CreateChainPolicy();
        if (serverKey is not null && _revocationCache?.HasFresh(serverKey) == true)
        {
            policy.RevocationMode = X509RevocationMode.NoCheck;
        }

        return policy;
    }

    /// <summary>A chain policy with this validator's trust and revocation settings.</summary>
    /// <remarks>
    /// With the system clock the policy validates at the time each chain is built, so it can be kept in reusable
    /// <see cref="SslClientAuthenticationOptions"/>. With an injected <see cref="TimeProvider"/> (tests) the time
    /// is pinned when the policy is created.
    /// </remarks>
    public X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = TrustMode,
            RevocationMode = RevocationMode,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
            UrlRetrievalTimeout = _options.RevocationTimeout,
            DisableCertificateDownloads = !_options.DownloadMissingIntermediates,
        };
        if (_time != TimeProvider.System)
        {
            policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
            policy.VerificationTimeIgnored = false;
        }

        policy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        if (_trustBundle is not null)
        {
            policy.CustomTrustStore.AddRange(_trustBundle);
        }

        return policy;
    }

    /// <summary>Validates from the arguments of a <see cref="RemoteCertificateValidationCallback"/>.</summary>
    /// <param name="serverKey">Names the server for the <see cref="RevocationCache"/> (the key given to
    /// <see cref="ChainPolicyFor"/>); null: no caching.</param>
    public CertificateVerdict Validate(
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors sslPolicyErrors,
        string? serverName,
        IPAddress? targetAddress,
        string? serverKey = null)
    {
        if (certificate is null || (sslPolicyErrors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Verdict(CertificateProblems.Other, default);
        }

        var leaf = certificate as X509Certificate2;
        using var loaded = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        leaf ??= loaded!;
        var cache = serverKey is null ? null : _revocationCache;
        if (chain is not null && chain.ChainElements.Count > 0 && UsesThisPolicy(chain.ChainPolicy, RevocationMode))
        {
            var (problems, status) = Classify(chain);
            cache?.Set(serverKey!, RevocationCache.Fingerprint(chain), problems, status);
            return Verdict(problems | CheckName(leaf, serverName, targetAddress), status);
        }

        if (cache is not null && chain is not null && chain.ChainElements.Count > 0 && UsesThisPolicy(chain.ChainPolicy, X509RevocationMode.NoCheck))
        {
            // Built without revocation because this server's outcome was cached: add it, if it is for this chain.
            byte[] fingerprint = RevocationCache.Fingerprint(chain);
            var (problems, status) = Classify(chain);
            if (cache.TryGet(serverKey!, fingerprint, out var revocation, out var revocationStatus))
            {
                Interlocked.Increment(ref _revocationCacheHits);
                return Verdict(problems | revocation | CheckName(leaf, serverName, targetAddress), status | revocationStatus);
            }

            // Another chain than the one cached (the server changed certificates): check it here. An unknown
            // outcome found this way is not kept: the next handshake asks again, with the server's staple.
            var verdict = Validate(leaf, chain.ChainPolicy.ExtraStore, serverName, targetAddress);
            if ((verdict.Problems & CertificateProblems.RevocationUnknown) == 0)
            {
                cache.Set(serverKey!, fingerprint, verdict.Problems, verdict.ChainStatus);
            }

            return verdict;
        }

        Interlocked.Increment(ref _chainRebuilds);
        return Validate(leaf, chain?.ChainPolicy.ExtraStore, serverName, targetAddress);
    }

    /// <summary>Builds the chain for <paramref name="leaf"/> with the server-sent <paramref name="intermediates"/> and validates it.</summary>
    public CertificateVerdict Validate(
        X509Certificate2 leaf,
        X509Certificate2Collection? intermediates,
        string? serverName,
        IPAddress? targetAddress)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        using var chain = new X509Chain { ChainPolicy = CreateChainPolicy() };
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        try
        {
            CertificateProblems problems;
            X509ChainStatusFlags status;
            try
            {
                chain.Build(leaf);
                (problems, status) = Classify(chain);
            }
            catch (CryptographicException)
            {
                (problems, status) = (CertificateProblems.Other, default);
            }

            return Verdict(problems | CheckName(leaf, serverName, targetAddress), status);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, leaf))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }

    /// <summary>Name check alone: SNI against DNS SANs (an IP-literal SNI against IP SANs), else the address against IP SANs.</summary>
    public static bool MatchesName(X509Certificate2 leaf, string? serverName, IPAddress? targetAddress)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var (dnsNames, addresses, _) = SubjectAltNames.Read(leaf);
        if (serverName is not null)
        {
            if (SubjectAltNames.TryParseAddressLiteral(serverName, out var literal))
            {
                return addresses.Contains(literal!);
            }

            string? host = HostName.TryNormalize(serverName);
            return host is not null && dnsNames.Exists(pattern => HostName.Matches(pattern, host));
        }

        return targetAddress is not null && addresses.Contains(SubjectAltNames.Normalize(targetAddress));
    }

    private static CertificateProblems CheckName(X509Certificate2 leaf, string? serverName, IPAddress? targetAddress) =>
        MatchesName(leaf, serverName, targetAddress) ? CertificateProblems.None : CertificateProblems.NameMismatch;

    private bool UsesThisPolicy(X509ChainPolicy policy, X509RevocationMode revocationMode) =>
        policy.TrustMode == TrustMode
        && policy.RevocationMode == revocationMode
        && policy.DisableCertificateDownloads == !_options.DownloadMissingIntermediates
        && (_trustBundle is null || policy.CustomTrustStore.Count == _trustBundle.Count);

    private (CertificateProblems Problems, X509ChainStatusFlags Status) Classify(X509Chain chain)
    {
        var problems = CertificateProblems.None;
        var flags = X509ChainStatusFlags.NoError;
        var elements = chain.ChainElements;
        var now = _time.GetUtcNow().UtcDateTime;
        for (int i = 0; i < elements.Count; i++)
        {
            var certificate = elements[i].Certificate;
            bool selfSignedLeaf = elements.Count == 1 && certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
            foreach (var status in elements[i].ChainElementStatus)
            {
                flags |= status.Status;
                problems |= Map(status.Status, certificate, selfSignedLeaf, now);
            }
        }

        // Chain-level flags not tied to an element (a partial chain, for instance).
        foreach (var status in chain.ChainStatus)
        {
            if ((flags & status.Status) == status.Status)
            {
                continue;
            }

            flags |= status.Status;
            var leafCertificate = elements.Count > 0 ? elements[0].Certificate : null;
            problems |= leafCertificate is null
                ? CertificateProblems.Other
                : Map(status.Status, leafCertificate, selfSignedLeaf: false, now);
        }

        return (problems, flags);
    }

    private static CertificateProblems Map(X509ChainStatusFlags status, X509Certificate2 certificate, bool selfSignedLeaf, DateTime now)
    {
        var problems = CertificateProblems.None;
        foreach (X509ChainStatusFlags flag in Enum.GetValues<X509ChainStatusFlags>())
        {
            if (flag == X509ChainStatusFlags.NoError || (status & flag) == 0)
            {
                continue;
            }

            problems |= flag switch
            {
                X509ChainStatusFlags.NotTimeValid => now < certificate.NotBefore.ToUniversalTime()
                    ? CertificateProblems.NotYetValid
                    : CertificateProblems.Expired,
                X509ChainStatusFlags.UntrustedRoot => selfSignedLeaf ? CertificateProblems.SelfSigned : CertificateProblems.UnknownIssuer,
                X509ChainStatusFlags.PartialChain => CertificateProblems.UnknownIssuer,
                X509ChainStatusFlags.Revoked => CertificateProblems.Revoked,
                X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation => CertificateProblems.RevocationUnknown,
                _ => CertificateProblems.Other,
            };
        }

        return problems;
    }

    private CertificateVerdict Verdict(CertificateProblems problems, X509ChainStatusFlags status)
    {
        var tolerated = _options.Revocation == RevocationCheckMode.HardFail ? CertificateProblems.None : CertificateProblems.RevocationUnknown;
        return new CertificateVerdict(problems, (problems & ~tolerated) == CertificateProblems.None, status);
    }
}
