// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Validation;

/// <summary>
/// The clean verdict last found for each server (SNI, or the address without one), with a fingerprint of exactly
/// the certificates the server presented, kept for a short time.
/// </summary>
/// <remarks>
/// <para>
/// Why: a server presents the same certificates to every connection, and the chain they build to is the same
/// until the trust store, the clock or the revocation status changes. Building it again verifies every signature
/// in it (.NET checks the root's self-signature too). Squid keeps such a cache (<c>sslcrtvalidator_program ttl=</c>),
/// browsers do too. With an entry for a server, SslStream is given a chain policy that trusts nothing
/// (<see cref="UpstreamCertificateValidator.ChainPolicyFor"/>): its build then stops below the root without the
/// signature checks that need it, and the verdict comes from here if the presented certificates are byte for byte
/// those of the entry; otherwise the full validation runs as without the cache. For a server that sends a leaf and
/// an intermediate (what public sites do), 2,000 builds by hand cost 423 us each against the root, 172 us against
/// nothing. A server that also sends its root gains nothing (the build still reaches the root and checks every
/// signature: 504 us against 471), so for it the cache is not used.
/// </para>
/// <para>
/// Only trusted verdicts with no problem but, under soft-fail, an unknown revocation status are kept (a failed
/// check is judged afresh every time: it is rare, and its outcome may depend on an override or on the time). An entry lives at most <c>lifetime</c>, never past the
/// earliest expiry of a certificate in its chain; with revocation on, it is used only while the
/// <see cref="RevocationCache"/> still holds this chain's outcome (the caller checks), so revocation is seen no
/// later than without this cache. The handshake still proves that the server holds the leaf's key: only the chain
/// build is skipped.
/// </para>
/// </remarks>
internal sealed class VerdictCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;

    public VerdictCache(TimeProvider time, TimeSpan lifetime, int capacity)
    {
        _time = time;
        _lifetime = lifetime;
        _capacity = Math.Max(1, capacity);
    }

    public int Count => _entries.Count;

    /// <summary>UTC ticks: the wall clock, so that tests can move it.</summary>
    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>
    /// Is there an unexpired verdict for this server (whatever certificates it was for) that a build against no
    /// trust would save work for? Not when the server sends its root: the build then still checks every signature.
    /// </summary>
    public bool HasFresh(string serverKey) =>
        _entries.TryGetValue(serverKey, out var entry) && entry.ExpiresAt > Now && !entry.RootPresented;

    /// <summary>
    /// The verdict kept for this server if it has not expired and was found for exactly these presented
    /// certificates; <paramref name="chainFingerprint"/> names the chain it was built to (for the revocation cache).
    /// </summary>
    public bool TryGet(
        string serverKey,
        X509Certificate2 leaf,
        X509Certificate2Collection? presented,
        out CertificateVerdict verdict,
        out byte[] chainFingerprint)
    {
        if (_entries.TryGetValue(serverKey, out var entry) && entry.ExpiresAt > Now
            && CryptographicOperations.FixedTimeEquals(entry.PresentedFingerprint, Fingerprint(leaf, presented)))
        {
            (verdict, chainFingerprint) = (entry.Verdict, entry.ChainFingerprint);
            return true;
        }

        (verdict, chainFingerprint) = (default, []);
        return false;
    }

    /// <summary>Keeps a verdict found for <paramref name="leaf"/> and the <paramref name="presented"/> certificates by building <paramref name="chain"/>.</summary>
    public void Set(string serverKey, X509Certificate2 leaf, X509Certificate2Collection? presented, X509Chain chain, CertificateVerdict verdict)
    {
        if (!verdict.IsTrusted || (verdict.Problems & ~CertificateProblems.RevocationUnknown) != CertificateProblems.None
            || chain.ChainElements.Count == 0)
        {
            _entries.TryRemove(serverKey, out _);
            return;
        }

        long now = Now;
        if (_entries.TryGetValue(serverKey, out var existing) && existing.RootPresented && existing.ExpiresAt > now)
        {
            // Never used for this server (see HasFresh): not worth fingerprinting its certificates on every handshake.
            return;
        }

        long expiresAt = now + _lifetime.Ticks;
        foreach (var element in chain.ChainElements)
        {
            expiresAt = Math.Min(expiresAt, element.Certificate.NotAfter.ToUniversalTime().Ticks);
        }

        if (expiresAt <= now)
        {
            return;
        }

        var root = chain.ChainElements[^1].Certificate;
        bool rootPresented = chain.ChainElements.Count > 1 && presented is not null
            && presented.Any(c => c.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span));
        ExpiringEntries.MakeRoom(_entries, serverKey, _capacity, now, e => e.ExpiresAt);
        _entries[serverKey] = new Entry(Fingerprint(leaf, presented), RevocationCache.Fingerprint(chain), verdict, expiresAt, rootPresented);
    }

    /// <summary>SHA-256 over the DER of the leaf and then of every certificate the server sent, in its order.</summary>
    private static byte[] Fingerprint(X509Certificate2 leaf, X509Certificate2Collection? presented)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(leaf.RawDataMemory.Span);
        if (presented is not null)
        {
            foreach (var certificate in presented)
            {
                hash.AppendData(certificate.RawDataMemory.Span);
            }
        }

        return hash.GetHashAndReset();
    }

    /// <param name="RootPresented">The server sent its root too, so a build against no trust still reaches it and checks every signature.</param>
    private sealed record Entry(byte[] PresentedFingerprint, byte[] ChainFingerprint, CertificateVerdict Verdict, long ExpiresAt, bool RootPresented);
}
