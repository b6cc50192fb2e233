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
    public const int IpRecvOrigDstAddr = 20;   // SOL_IP; cmsg type IP_ORIGDSTADDR has the same number
    public const int Ipv6RecvOrigDstAddr = 74; // SOL_IPV6; cmsg type IPV6_ORIGDSTADDR has the same number
    public const int MsgDontWait = 0x40;
    public const int MsgPeek = 0x2;
    public const int MsgTrunc = 0x20;
    public const int Eagain = 11;
    public const int RlimitNofile = 7;
    public const int AfInet = 2;
    public const int AfInet6 = 10;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (x86_64/arm64 layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recvmsg(nint fd, MsgHdr* message, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint recv(nint fd, byte* buffer, nuint length, int flags);

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
