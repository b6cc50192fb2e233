// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Bellows.Proxy.Sessions;

/// <summary>
/// Keeps only the first close reason a session reports. Both relay directions, the worker's idle scan and
/// shutdown may race to report one; a CAS on a packed value lets the first win without a lock.
/// </summary>
public struct FirstCloseReason
{
    private long _packed;

    /// <summary>Records <paramref name="reason"/> if nothing was recorded yet; returns whether it won.</summary>
    public bool TrySet(CloseReason reason)
    {
        if (reason.IsNone)
        {
            return false;
        }

        long packed = Pack(reason);
        return Interlocked.CompareExchange(ref _packed, packed, 0) == 0;
    }

    public readonly CloseReason Value => Unpack(Volatile.Read(ref Unsafe.AsRef(in _packed)));

    private static long Pack(CloseReason r) => ((long)r.Side << 40) | ((long)r.Kind << 32) | (uint)(int)r.Error | (1L << 48);

    private static CloseReason Unpack(long packed) => packed == 0
        ? CloseReason.None
        : new CloseReason((CloseSide)((packed >> 40) & 0xff), (CloseKind)((packed >> 32) & 0xff), (SocketError)(int)(uint)packed);
}
