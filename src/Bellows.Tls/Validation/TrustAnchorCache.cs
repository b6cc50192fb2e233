// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Validation;

/// <summary>
/// The trust anchors (roots) that upstream chains have been validated to against the full trust store, and which
/// anchor each server (SNI and address) chained to.
/// </summary>
/// <remarks>
/// Why: .NET builds every chain against a fresh OpenSSL store that it fills with every trusted root, at about
/// 3 us of CPU per root: with Debian's ~145 system roots a chain build costs ~0.6 ms instead of ~0.2 ms, on every
/// upstream handshake, though a gateway's servers chain to a few dozen roots at most. So SslStream's build is
/// given only the anchor this server chained to last time (or, for a server not seen yet, every anchor learned so
/// far), and the full store is consulted only when that build does not end cleanly at one of them. An anchor is
/// learned only from a build against the full store, so the small store is always a subset of it. With the system
/// store (which can change under a running process) an anchor is forgotten after <c>lifetime</c> and has to be
/// learned again by one full build; a configured bundle is read once, its anchors do not expire.
/// </remarks>
internal sealed class TrustAnchorCache
{
    private readonly ConcurrentDictionary<string, Anchor> _byServer = new(StringComparer.Ordinal);
    private readonly Lock _learnLock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly int _serverCapacity;
    private readonly int _anchorCapacity;

    /// <summary>Every anchor learned and not expired, copy-on-write: read on every handshake without a lock.</summary>
    private Anchor[] _anchors = [];

    public TrustAnchorCache(TimeProvider time, TimeSpan lifetime, int serverCapacity, int anchorCapacity)
    {
        _time = time;
        _lifetime = lifetime;
        _serverCapacity = Math.Max(1, serverCapacity);
        _anchorCapacity = Math.Max(1, anchorCapacity);
    }

    public int AnchorCount => Volatile.Read(ref _anchors).Length;

    public int ServerCount => _byServer.Count;

    private long Now => _time.GetUtcNow().UtcTicks;

    /// <summary>
    /// The anchors to offer SslStream's chain build for this server: the one it chained to, if known; else every
    /// learned anchor (possibly none: the build then fails cheaply and the full store decides).
    /// </summary>
    public X509Certificate2[] AnchorsFor(string? serverKey)
    {
        long now = Now;
        if (serverKey is not null && _byServer.TryGetValue(serverKey, out var known) && known.ExpiresAt > now)
        {
            return [known.Certificate];
        }

        var anchors = Volatile.Read(ref _anchors);
        int live = 0;
        foreach (var anchor in anchors)
        {
            live += anchor.ExpiresAt > now ? 1 : 0;
        }

        var result = new X509Certificate2[live];
        int i = 0;
        foreach (var anchor in anchors)
        {
            if (anchor.ExpiresAt > now)
            {
                result[i++] = anchor.Certificate;
            }
        }

        return result;
    }

    /// <summary>
    /// Is <paramref name="root"/> a learned, unexpired anchor? If so, <paramref name="serverKey"/> is noted as
    /// chaining to it.
    /// </summary>
    public bool IsAnchor(X509Certificate2 root, string? serverKey)
    {
        var anchor = Find(root.RawDataMemory.Span, Now);
        if (anchor is null)
        {
            return false;
        }

        MapServer(serverKey, anchor);
        return true;
    }

    /// <summary>Learns the root of a chain that validated cleanly against the full trust store.</summary>
    public void Learn(X509Certificate2 root, string? serverKey)
    {
        long now = Now;
        var anchor = Find(root.RawDataMemory.Span, now);
        if (anchor is null)
        {
            lock (_learnLock)
            {
                anchor = Find(root.RawDataMemory.Span, now);
                if (anchor is null)
                {
                    // A copy the cache owns: the chain's element certificates are disposed by their owners.
                    anchor = new Anchor(X509CertificateLoader.LoadCertificate(root.RawData), ExpiresAt(now));
                    var kept = Volatile.Read(ref _anchors).Where(a => a.ExpiresAt > now).OrderByDescending(a => a.ExpiresAt)
                        .Take(_anchorCapacity - 1);
                    Volatile.Write(ref _anchors, [anchor, .. kept]);
                }
            }
        }

        MapServer(serverKey, anchor);
    }

    private long ExpiresAt(long now) => _lifetime == TimeSpan.MaxValue ? long.MaxValue : now + _lifetime.Ticks;

    private Anchor? Find(ReadOnlySpan<byte> der, long now)
    {
        foreach (var anchor in Volatile.Read(ref _anchors))
        {
            if (anchor.ExpiresAt > now && anchor.Certificate.RawDataMemory.Span.SequenceEqual(der))
            {
                return anchor;
            }
        }

        return null;
    }

    private void MapServer(string? serverKey, Anchor anchor)
    {
        if (serverKey is null || (_byServer.TryGetValue(serverKey, out var current) && ReferenceEquals(current, anchor)))
        {
            return;
        }

        ExpiringEntries.MakeRoom(_byServer, serverKey, _serverCapacity, Now, a => a.ExpiresAt);
        _byServer[serverKey] = anchor;
    }

    private sealed record Anchor(X509Certificate2 Certificate, long ExpiresAt);
}
