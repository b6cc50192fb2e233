// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Validation;

/// <summary>
/// The revocation outcome last found for each server (SNI and address), with a fingerprint of the chain it was
/// found for, kept for a short time.
/// </summary>
/// <remarks>
/// Why: with revocation on, every upstream chain build asks .NET's revocation machinery, which answers from its
/// on-disk OCSP/CRL cache (read, parse and verify a response per build: about 0.85 ms of CPU per connection in the
/// TLS benchmark). A server presents the same chain to every connection, so the answer found a moment ago still
/// holds; Smithproxy keeps a similar cache (its verify_cache). An entry is used only for the same chain (leaf and
/// the rest, by SHA-256); a server that changes certificates is checked afresh. Good and revoked outcomes are kept
/// for <see cref="UpstreamValidationOptions.RevocationCacheTime"/>; an unknown outcome (responder unreachable)
/// for a tenth of it, so that a responder that comes back is asked again soon.
/// </remarks>
internal sealed class RevocationCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly int _capacity;

    public RevocationCache(TimeProvider time, TimeSpan lifetime, int capacity)
    {
        _time = time;
        _lifetime = lifetime;
        _capacity = capacity;
    }

    public int Count => _entries.Count;

    /// <summary>UTC ticks: the wall clock, so that tests can move it.</summary>
    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>Is there an outcome for this server that has not expired (whatever chain it was for)?</summary>
    public bool HasFresh(string serverKey) =>
        _entries.TryGetValue(serverKey, out var entry) && entry.ExpiresAt > Now;

    /// <summary>The outcome kept for this server and exactly this chain, if it has not expired.</summary>
    public bool TryGet(string serverKey, byte[] chainFingerprint, out CertificateProblems problems, out X509ChainStatusFlags flags)
    {
        if (_entries.TryGetValue(serverKey, out var entry) && entry.ExpiresAt > Now
            && CryptographicOperations.FixedTimeEquals(entry.ChainFingerprint, chainFingerprint))
        {
            (problems, flags) = (entry.Problems, entry.Flags);
            return true;
        }

        (problems, flags) = (CertificateProblems.None, X509ChainStatusFlags.NoError);
        return false;
    }

    /// <summary>Keeps the revocation part of an outcome (<paramref name="problems"/> is masked to it).</summary>
    public void Set(string serverKey, byte[] chainFingerprint, CertificateProblems problems, X509ChainStatusFlags flags)
    {
        problems &= CertificateProblems.Revoked | CertificateProblems.RevocationUnknown;
        flags &= X509ChainStatusFlags.Revoked | X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation;
        var lifetime = problems == CertificateProblems.RevocationUnknown ? _lifetime / 10 : _lifetime;
        ExpiringEntries.MakeRoom(_entries, serverKey, _capacity, Now, e => e.ExpiresAt);
        _entries[serverKey] = new Entry(chainFingerprint, problems, flags, Now + lifetime.Ticks);
    }

    /// <summary>SHA-256 over the DER of every certificate of a built chain, leaf first.</summary>
    public static byte[] Fingerprint(X509Chain chain)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var element in chain.ChainElements)
        {
            hash.AppendData(element.Certificate.RawDataMemory.Span);
        }

        return hash.GetHashAndReset();
    }

    private sealed record Entry(byte[] ChainFingerprint, CertificateProblems Problems, X509ChainStatusFlags Flags, long ExpiresAt);
}
