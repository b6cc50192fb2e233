// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bellows.Transport.Interop;

namespace Bellows.Transport.Sockets;

/// <summary>Linux socket options that System.Net.Sockets has no names for.</summary>
public static unsafe class LinuxSocketOptions
{
    /// <summary>IP_TRANSPARENT / IPV6_TRANSPARENT: accept TPROXY-diverted traffic, or bind a non-local (client) address.</summary>
    public static void SetTransparent(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        int one = 1;
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Set(socket, LibC.SolIpv6, LibC.Ipv6Transparent, one);
            if (!socket.DualMode)
            {
                return;
            }
        }

        Set(socket, LibC.SolIp, LibC.IpTransparent, one);
    }

    public static void SetReusePort(Socket socket) => Set(socket, LibC.SolSocket, LibC.SoReusePort, 1);

    /// <summary>SO_MARK lets nftables rules recognise (and skip) Bellows' own upstream traffic.</summary>
    public static void SetMark(Socket socket, int mark) => Set(socket, LibC.SolSocket, LibC.SoMark, mark);

    /// <summary>
    /// Destination a REDIRECTed connection was sent to before NAT rewrote it (SO_ORIGINAL_DST, or
    /// IP6T_SO_ORIGINAL_DST for IPv6). Returns null when the connection was not redirected.
    /// </summary>
    public static IPEndPoint? GetOriginalDestination(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var fd = socket.SafeHandle.DangerousGetHandle();
        var local = (IPEndPoint?)socket.LocalEndPoint;
        bool v6 = local is not null && local.AddressFamily == AddressFamily.InterNetworkV6 && !local.Address.IsIPv4MappedToIPv6;
        byte* buffer = stackalloc byte[28];
        uint length = 28;
        int rc = v6
            ? LibC.getsockopt(fd, LibC.SolIpv6, LibC.SoOriginalDst, buffer, &length)
            : LibC.getsockopt(fd, LibC.SolIp, LibC.SoOriginalDst, buffer, &length);
        if (rc != 0)
        {
            return null;
        }

        return SockAddr.Decode(new ReadOnlySpan<byte>(buffer, (int)length));
    }

    private static void Set(Socket socket, int level, int name, int value)
    {
        var fd = socket.SafeHandle.DangerousGetHandle();
        if (LibC.setsockopt(fd, level, name, &value, sizeof(int)) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SocketException(errno == 1 ? (int)SocketError.AccessDenied : (int)SocketError.SocketError,
                $"setsockopt({level},{name}) failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
        }
    }
}
