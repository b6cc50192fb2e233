// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Certificates;

/// <summary>
/// Bounded LRU cache of minted certificates, keyed on <see cref="CertificateTemplate.CacheKey"/>, with
/// single-flight minting: concurrent first requests for one key share one mint.
/// </summary>
/// <remarks>
/// <para>
/// Steps in <see cref="GetOrMintAsync(CertificateTemplate, CancellationToken)"/>:
/// 1. Under the lock: a fresh entry is a hit (moved to the LRU head); a pending mint for the key is joined;
///    otherwise this caller registers a pending task and becomes the minter.
/// 2. Outside the lock the minter mints synchronously (a fraction of a millisecond of CPU: cheaper than a
///    thread-pool hop) and then publishes the result, evicting from the LRU tail above capacity.
/// 3. A failed mint is handed to every waiter and is not cached: the next request mints again.
/// </para>
/// <para>
/// Entries within <see cref="RenewBefore"/> of their notAfter are minted again. Evicted certificates are not
/// disposed: a connection still handshaking may be using them; the GC releases their keys.
/// </para>
/// </remarks>
public sealed class MintedCertificateCache
{
    public const int DefaultCapacity = 1000;

    /// <summary>An entry closer than this to its notAfter is replaced rather than served.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromHours(1);

    private readonly Func<CertificateTemplate, X509Certificate2> _mint;
    private readonly X509Certificate2? _issuer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<MintedCertificate>> _entries;
    private readonly LinkedList<MintedCertificate> _lru = new();
    private readonly Dictionary<string, Task<MintedCertificate>> _pending = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private long _coalesced;
    private long _mints;
    private long _mintFailures;
    private long _evictions;
    private long _renewals;
    private long _mintTicksTotal;
    private long _mintTicksMax;

    public MintedCertificateCache(CertificateMinter minter, int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
        : this(ValidateMinter(minter).Mint, IssuerToSend(minter.Authority), capacity, timeProvider ?? TimeProvider.System)
    {
    }

    /// <summary>
    /// The CA certificate to build minted certificates' chains with: none for a self-signed CA (the usual one),
    /// the CA certificate for a CA that is itself an intermediate.
    /// </summary>
    /// <remarks>
    /// .NET leaves a self-signed root out of what the server sends, so for such a CA the chain the client gets is
    /// the leaf alone either way; handing the root to the chain build only adds two signature checks (leaf and
    /// root) to every first connection to a new site (measured: 0.68 -> 0.50 ms per certificate context).
    /// </remarks>
    internal static X509Certificate2? IssuerToSend(CertificateAuthority authority)
    {
        var certificate = authority.Certificate;
        return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? null : certificate;
    }

    /// <summary>For tests: any mint function, and the issuer to send in the chain (null for none).</summary>
    internal MintedCertificateCache(
        Func<CertificateTemplate, X509Certificate2> mint,
        X509Certificate2? issuer,
        int capacity,
        TimeProvider timeProvider)
    {
        Debug.Assert(mint is not null && timeProvider is not null);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _mint = mint;
        _issuer = issuer;
        _time = timeProvider;
        Capacity = capacity;
        _entries = new Dictionary<string, LinkedListNode<MintedCertificate>>(capacity, StringComparer.Ordinal);
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The minted certificate for this upstream certificate, SNI and target address.</summary>
    public ValueTask<MintedCertificate> GetOrMintAsync(
        X509Certificate2 upstream,
        string? serverName,
        IPAddress? targetAddress,
        bool selfSigned = false,
        CancellationToken cancellationToken = default) =>
        GetOrMintAsync(CertificateTemplate.FromUpstream(upstream, serverName, targetAddress, selfSigned), cancellationToken);

    /// <summary>
    /// The minted certificate for <paramref name="template"/>. Completes synchronously on a hit and for the caller
    /// that mints; callers that join a pending mint wait for it (cancellation stops only their wait).
    /// </summary>
    public ValueTask<MintedCertificate> GetOrMintAsync(CertificateTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        string key = template.CacheKey;
        TaskCompletionSource<MintedCertificate> completion;

        // :: Step 1
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                if (node.Value.NotAfter - _time.GetUtcNow() > RenewBefore)
                {
                    _hits++;
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    return new ValueTask<MintedCertificate>(node.Value);
                }

                _renewals++;
                _lru.Remove(node);
                _entries.Remove(key);
            }

            if (_pending.TryGetValue(key, out var pending))
            {
                _coalesced++;
                return new ValueTask<MintedCertificate>(pending.WaitAsync(cancellationToken));
            }

            _misses++;
            completion = new TaskCompletionSource<MintedCertificate>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Add(key, completion.Task);
        }

        // :: Step 2
        MintedCertificate minted;
        long started = Stopwatch.GetTimestamp();
        try
        {
            minted = new MintedCertificate(_mint(template), template, template.SelfSigned ? null : _issuer);
        }
        catch (Exception ex)
        {
            // :: Step 3
            lock (_gate)
            {
                _pending.Remove(key);
                _mintFailures++;
            }

            completion.SetException(ex);
            _ = completion.Task.Exception; // observed here, so a failure nobody joined is not reported as unobserved
            return ValueTask.FromException<MintedCertificate>(ex);
        }

        long elapsed = Stopwatch.GetTimestamp() - started;
        lock (_gate)
        {
            _pending.Remove(key);
            _mints++;
            _mintTicksTotal += elapsed;
            _mintTicksMax = Math.Max(_mintTicksMax, elapsed);
            _entries[key] = _lru.AddFirst(minted);
            while (_entries.Count > Capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _entries.Remove(last.Value.Template.CacheKey);
                _evictions++;
            }
        }

        completion.SetResult(minted);
        return new ValueTask<MintedCertificate>(minted);
    }

    /// <summary>Drops every cached certificate (pending mints complete normally and are cached).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _lru.Clear();
        }
    }

    public MintedCertificateCacheStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new MintedCertificateCacheStatistics(
                _entries.Count,
                Capacity,
                _hits,
                _misses,
                _coalesced,
                _mints,
                _mintFailures,
                _evictions,
                _renewals,
                Stopwatch.GetElapsedTime(0, _mintTicksTotal),
                Stopwatch.GetElapsedTime(0, _mintTicksMax));
        }
    }

    private static CertificateMinter ValidateMinter(CertificateMinter minter)
    {
        ArgumentNullException.ThrowIfNull(minter);
        return minter;
    }
}
