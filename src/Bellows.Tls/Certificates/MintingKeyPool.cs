// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Bellows.Tls.Certificates;

/// <summary>
/// A few fresh ECDSA P-256 keys generated ahead of need, so that minting a certificate for a new site does not
/// wait for a key generation. Every key is handed out once.
/// </summary>
/// <remarks>
/// Why: a mint is on the path of the first connection to a site (the client waits for the handshake), and the
/// key generation was a fixed part of it (about a quarter of a mint by hand). Taking a key starts a background
/// refill on the thread pool; when the pool is empty (a burst of new sites), the caller generates its own key, as
/// without the pool. The CPU per certificate is unchanged: the key is only made earlier.
/// </remarks>
public sealed class MintingKeyPool : IDisposable
{
    /// <summary>Keys kept ready by default: more than the new sites a burst of connections usually brings.</summary>
    public const int DefaultSize = 4;

    private readonly ConcurrentQueue<ECDsa> _ready = new();
    private readonly int _size;
    private int _count;
    private int _refilling;
    private volatile bool _disposed;
    private long _taken;
    private long _generatedInline;

    /// <param name="size">Keys kept ready (at least 1).</param>
    /// <param name="fill">Generate the keys now (on the calling thread) instead of on the first take.</param>
    public MintingKeyPool(int size = DefaultSize, bool fill = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _size = size;
        if (fill)
        {
            Refill();
        }
    }

    /// <summary>Keys ready now.</summary>
    public int Ready => Volatile.Read(ref _count);

    /// <summary>Keys handed out from the pool.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>Keys the caller had to wait for because the pool was empty.</summary>
    public long GeneratedInline => Interlocked.Read(ref _generatedInline);

    /// <summary>A key no one else has had; the caller owns (and disposes) it.</summary>
    public ECDsa Take()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ready.TryDequeue(out var key))
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _taken);
            ScheduleRefill();
            return key;
        }

        Interlocked.Increment(ref _generatedInline);
        ScheduleRefill();
        return CreateKey();
    }

    public void Dispose()
    {
        _disposed = true;
        Drain();
    }

    /// <summary>
    /// A new P-256 key as <see cref="ECDsaOpenSsl"/>: binding that type to a certificate
    /// (<see cref="System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.CopyWithPrivateKey"/>)
    /// shares its OpenSSL key handle, where the key from <see cref="ECDsa.Create(ECCurve)"/> is exported and
    /// imported again (measured: 236 -> 63 us per certificate, a fifth of a mint).
    /// </summary>
    internal static ECDsa CreateKey() => new ECDsaOpenSsl(ECCurve.NamedCurves.nistP256);

    private void ScheduleRefill()
    {
        if (!_disposed && Volatile.Read(ref _count) < _size && Interlocked.CompareExchange(ref _refilling, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.RefillInBackground(), this, preferLocal: false);
        }
    }

    private void RefillInBackground()
    {
        try
        {
            Refill();
        }
        finally
        {
            Volatile.Write(ref _refilling, 0);
        }

        // A take that raced with the end of this refill may have found _refilling still set.
        ScheduleRefill();
    }

    private void Refill()
    {
        while (!_disposed && Volatile.Read(ref _count) < _size)
        {
            _ready.Enqueue(CreateKey());
            Interlocked.Increment(ref _count);
        }

        if (_disposed)
        {
            Drain();
        }
    }

    private void Drain()
    {
        while (_ready.TryDequeue(out var key))
        {
            Interlocked.Decrement(ref _count);
            key.Dispose();
        }
    }
}
