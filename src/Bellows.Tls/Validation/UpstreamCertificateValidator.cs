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
/// With a large trust store (the system's, or a bundle of more than a few roots), <see cref="ChainPolicyFor"/>
/// narrows SslStream's build to the roots learned from earlier full builds (<see cref="TrustAnchorCache"/>):
/// building against ~145 roots costs about three times a build against one. Only a chain that ends cleanly at a
/// learned root is taken from that build; every other outcome is judged by a build against the full store.
/// </para>
/// <para>
/// With a server key, a clean verdict is kept for the certificates that server presented (<see cref="VerdictCache"/>):
/// while it is fresh, <see cref="ChainPolicyFor"/> gives a policy that trusts no root, and the callback takes the
/// kept verdict when the server presented exactly the same certificates (anything else is validated in full).
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

    /// <summary>Distinct roots offered to builds for servers not seen yet; more than a gateway's traffic uses.</summary>
    private const int AnchorCapacity = 64;

    /// <summary>Servers whose anchor is remembered.</summary>
    private const int AnchorServerCapacity = 10_000;

    /// <summary>Chain status that says nothing about the chain itself, only about its revocation.</summary>
    private const X509ChainStatusFlags RevocationStatus =
        X509ChainStatusFlags.Revoked | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;

    private readonly UpstreamValidationOptions _options;
    private readonly X509Certificate2Collection? _trustBundle;
    private readonly TimeProvider _time;
    private readonly RevocationCache? _revocationCache;
    private readonly TrustAnchorCache? _anchors;
    private readonly VerdictCache? _verdicts;
    private long _chainRebuilds;
    private long _verdictHits;
    private long _anchorHits;
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
            _trustBundle = LoadBundle(path);
        }

        if (options.ExtraTrustPath is { } extra)
        {
            _trustBundle ??= SystemRoots();
            _trustBundle.AddRange(LoadBundle(extra));
        }

        if (_trustBundle is null || _trustBundle.Count > options.SmallTrustStore)
        {
            // The system store can change while Bellows runs, a bundle read at start cannot.
            var lifetime = _trustBundle is null ? options.TrustAnchorLifetime : TimeSpan.MaxValue;
            _anchors = new TrustAnchorCache(_time, lifetime, AnchorServerCapacity, AnchorCapacity);
        }

        if (options.VerdictCacheTime > TimeSpan.Zero)
        {
            _verdicts = new VerdictCache(_time, options.VerdictCacheTime, AnchorServerCapacity);
        }
    }

    /// <summary>
    /// Callback validations whose chain had been built with another policy, or against learned anchors without
    /// ending cleanly at one, and was built again here against the full trust store.
    /// </summary>
    public long ChainRebuilds => Interlocked.Read(ref _chainRebuilds);

    /// <summary>Callback validations settled by a chain built against learned anchors (<see cref="TrustAnchorCache"/>).</summary>
    public long TrustAnchorHits => Interlocked.Read(ref _anchorHits);

    /// <summary>Roots learned as anchors; 0 when the trust store is small enough to be used whole.</summary>
    public int TrustAnchorCount => _anchors?.AnchorCount ?? 0;

    /// <summary>Callback validations settled by a verdict kept for the same certificates (<see cref="VerdictCache"/>).</summary>
    public long VerdictCacheHits => Interlocked.Read(ref _verdictHits);

    /// <summary>Servers whose last (clean) verdict is kept.</summary>
    public int VerdictCacheCount => _verdicts?.Count ?? 0;

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
    /// <see cref="CreateChainPolicy()"/>, but trusting only the learned anchors this server may chain to (when the
    /// trust store is large, see <see cref="TrustAnchorCache"/>), and without revocation when that server's
    /// revocation outcome is cached. When a clean verdict is kept for this server (<see cref="VerdictCache"/>), a
    /// policy that trusts nothing: the build stops below the root, without the signature checks that need it, and
    /// the verdict comes from the cache if the server presented the same certificates.
    /// </summary>
    public X509ChainPolicy ChainPolicyFor(string? serverKey)
    {
        if (serverKey is not null && _verdicts?.HasFresh(serverKey) == true
            && (_options.Revocation == RevocationCheckMode.Off || _revocationCache?.HasFresh(serverKey) == true))
        {
            return new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
        }

        var policy = _anchors is null ? CreateChainPolicy() : CreateChainPolicy(_anchors.AnchorsFor(serverKey));
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
    public X509ChainPolicy CreateChainPolicy() => CreateChainPolicy(null);

    /// <summary>As <see cref="CreateChainPolicy()"/>, trusting <paramref name="anchors"/> instead when given.</summary>
    private X509ChainPolicy CreateChainPolicy(X509Certificate2[]? anchors)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = anchors is null ? TrustMode : X509ChainTrustMode.CustomRootTrust,
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
        if (anchors is not null)
        {
            policy.CustomTrustStore.AddRange(anchors);
        }
        else if (_trustBundle is not null)
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
        if (serverKey is not null && chain is not null && IsBuiltAgainstNothing(chain.ChainPolicy)
            && TryCachedVerdict(serverKey, leaf, chain.ChainPolicy.ExtraStore, out var cached))
        {
            return Verdict(cached.Problems, cached.ChainStatus);
        }

        var cache = serverKey is null ? null : _revocationCache;
        if (chain is not null && chain.ChainElements.Count > 0
            && chain.ChainPolicy.DisableCertificateDownloads == !_options.DownloadMissingIntermediates)
        {
            var (problems, status) = Classify(chain);
            if (IsSettled(chain, status, serverKey))
            {
                if (chain.ChainPolicy.RevocationMode == RevocationMode)
                {
                    cache?.Set(serverKey!, RevocationCache.Fingerprint(chain), problems, status);
                    return Remember(serverKey, leaf, chain, Verdict(problems | CheckName(leaf, serverName, targetAddress), status));
                }

                if (cache is not null && chain.ChainPolicy.RevocationMode == X509RevocationMode.NoCheck)
                {
                    // Built without revocation because this server's outcome was cached: add it, if it is for this chain.
                    byte[] fingerprint = RevocationCache.Fingerprint(chain);
                    if (cache.TryGet(serverKey!, fingerprint, out var revocation, out var revocationStatus))
                    {
                        Interlocked.Increment(ref _revocationCacheHits);
                        return Remember(serverKey, leaf, chain, Verdict(problems | revocation | CheckName(leaf, serverName, targetAddress), status | revocationStatus));
                    }

                    // Another chain than the one cached (the server changed certificates): check it here (which keeps
                    // its outcome for the next handshakes).
                    return Validate(leaf, chain.ChainPolicy.ExtraStore, serverName, targetAddress, serverKey);
                }
            }
        }

        Interlocked.Increment(ref _chainRebuilds);
        return Validate(leaf, chain?.ChainPolicy.ExtraStore, serverName, targetAddress, serverKey);
    }

    /// <summary>Builds the chain for <paramref name="leaf"/> with the server-sent <paramref name="intermediates"/> and validates it.</summary>
    public CertificateVerdict Validate(
        X509Certificate2 leaf,
        X509Certificate2Collection? intermediates,
        string? serverName,
        IPAddress? targetAddress) => Validate(leaf, intermediates, serverName, targetAddress, serverKey: null);

    private CertificateVerdict Validate(
        X509Certificate2 leaf,
        X509Certificate2Collection? intermediates,
        string? serverName,
        IPAddress? targetAddress,
        string? serverKey)
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
                LearnAnchor(chain, status, serverKey);
                if (serverKey is not null && (problems & CertificateProblems.RevocationUnknown) == 0)
                {
                    // An unknown outcome found here is not kept: the next handshake asks again, with the server's staple.
                    _revocationCache?.Set(serverKey, RevocationCache.Fingerprint(chain), problems, status);
                }
            }
            catch (CryptographicException)
            {
                return Verdict(CertificateProblems.Other | CheckName(leaf, serverName, targetAddress), default);
            }

            return Remember(serverKey, leaf, chain, Verdict(problems | CheckName(leaf, serverName, targetAddress), status), intermediates);
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

    /// <summary>
    /// Does the chain SslStream built decide trust? Yes if built against the full trust store (a clean one teaches
    /// its anchor); if built against learned anchors, only when it ended at one of them with nothing wrong but,
    /// possibly, revocation: anything else is judged again by a build against the full store.
    /// </summary>
    private bool IsSettled(X509Chain chain, X509ChainStatusFlags status, string? serverKey)
    {
        var policy = chain.ChainPolicy;
        if (policy.TrustMode == TrustMode && (_trustBundle is null || policy.CustomTrustStore.Count == _trustBundle.Count))
        {
            LearnAnchor(chain, status, serverKey);
            return true;
        }

        if (_anchors is null || policy.TrustMode != X509ChainTrustMode.CustomRootTrust || (status & ~RevocationStatus) != X509ChainStatusFlags.NoError
            || !_anchors.IsAnchor(chain.ChainElements[^1].Certificate, serverKey))
        {
            return false;
        }

        Interlocked.Increment(ref _anchorHits);
        return true;
    }

    /// <summary>The policy <see cref="ChainPolicyFor"/> gives when a verdict is kept: no root trusted, so the build proves nothing.</summary>
    private bool IsBuiltAgainstNothing(X509ChainPolicy policy) =>
        _verdicts is not null && policy.TrustMode == X509ChainTrustMode.CustomRootTrust && policy.CustomTrustStore.Count == 0;

    /// <summary>
    /// A verdict kept for exactly these certificates from this server; with revocation on, only while the
    /// revocation cache still holds the same outcome (good, or unknown under soft-fail) for the chain they built to.
    /// </summary>
    private bool TryCachedVerdict(string serverKey, X509Certificate2 leaf, X509Certificate2Collection presented, out CertificateVerdict verdict)
    {
        if (_verdicts is null || !_verdicts.TryGet(serverKey, leaf, presented, out verdict, out byte[] chainFingerprint))
        {
            verdict = default;
            return false;
        }

        if (_options.Revocation != RevocationCheckMode.Off
            && (_revocationCache is null || !_revocationCache.TryGet(serverKey, chainFingerprint, out var revocation, out _)
                || revocation != (verdict.Problems & CertificateProblems.RevocationUnknown)))
        {
            return false;
        }

        Interlocked.Increment(ref _verdictHits);
        return true;
    }

    /// <summary>Offers a verdict to the <see cref="VerdictCache"/> (which keeps clean ones) and returns it.</summary>
    private CertificateVerdict Remember(
        string? serverKey, X509Certificate2 leaf, X509Chain chain, CertificateVerdict verdict, X509Certificate2Collection? presented = null)
    {
        if (serverKey is not null && _verdicts is not null)
        {
            _verdicts.Set(serverKey, leaf, presented ?? chain.ChainPolicy.ExtraStore, chain, verdict);
        }

        return verdict;
    }

    private void LearnAnchor(X509Chain chain, X509ChainStatusFlags status, string? serverKey)
    {
        if (_anchors is not null && (status & ~RevocationStatus) == X509ChainStatusFlags.NoError && chain.ChainElements.Count > 0)
        {
            _anchors.Learn(chain.ChainElements[^1].Certificate, serverKey);
        }
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new InvalidDataException($"trust bundle '{path}' contains no PEM certificates");
    }

    /// <summary>The system's trusted roots as .NET reads them (on Linux, OpenSSL's default certificate paths).</summary>
    private static X509Certificate2Collection SystemRoots()
    {
        using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return [.. store.Certificates];
    }

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
