// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Sessions;

/// <summary>Process-wide session numbers, shown in logs and status.</summary>
internal static class SessionIds
{
    private static long s_next;

    public static long Next() => Interlocked.Increment(ref s_next);
}
