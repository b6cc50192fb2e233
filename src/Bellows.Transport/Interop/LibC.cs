// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Runtime.InteropServices;

namespace Bellows.Transport.Interop;

/// <summary>The few libc calls .NET does not expose: transparent sockets, original destination, fd limits.</summary>
internal static unsafe partial class LibC
{
    public const int SolSocket = 1;
    public const int SolIp = 0;
    public const int SolIpv6 = 41;
    public const int SoMark = 36;
    public const int SoReusePort = 15;
    public const int IpTransparent = 19;
    public const int Ipv6Transparent = 75;
    public const int SoOriginalDst = 80;     // SOL_IP; IP6T_SO_ORIGINAL_DST has the same number on SOL_IPV6
    public const int RlimitNofile = 7;
    public const int AfInet = 2;
    public const int AfInet6 = 10;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsockopt(nint fd, int level, int name, void* value, uint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getsockopt(nint fd, int level, int name, void* value, uint* length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getrlimit(int resource, RLimit* limit);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setrlimit(int resource, RLimit* limit);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int getpid();
}
