// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bellows.Transport.Interop;

namespace Bellows.Transport.Sockets;

/// <summary>One datagram read with recvmsg: its source and its original destination (address and port).</summary>
public readonly record struct DatagramInfo(int Length, IPEndPoint Source, IPEndPoint? OriginalDestination, bool Truncated);

/// <summary>
/// recvmsg with IP_RECVORIGDSTADDR / IPV6_RECVORIGDSTADDR. .NET's ReceiveMessageFrom reports only the
/// destination address (IP_PKTINFO), not the port a TPROXY-diverted datagram was sent to, so Bellows reads the
/// original destination from the ancillary data itself.
/// </summary>
public static unsafe class DatagramReceive
{
    /// <summary>Asks the kernel to attach the original destination to every datagram read from <paramref name="socket"/>.</summary>
    public static void EnableOriginalDestination(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        int one = 1;
        var fd = socket.SafeHandle.DangerousGetHandle();
        int rc = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? LibC.setsockopt(fd, LibC.SolIpv6, LibC.Ipv6RecvOrigDstAddr, &one, sizeof(int))
            : LibC.setsockopt(fd, LibC.SolIp, LibC.IpRecvOrigDstAddr, &one, sizeof(int));
        if (rc != 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>
    /// Reads one datagram without blocking. Returns false when none is queued (EAGAIN); throws on other errors.
    /// </summary>
    public static bool TryReceive(Socket socket, Span<byte> buffer, out DatagramInfo datagram)
    {
        ArgumentNullException.ThrowIfNull(socket);
        byte* name = stackalloc byte[128];
        byte* control = stackalloc byte[256];
        fixed (byte* data = buffer)
        {
            var iov = new LibC.IoVec { Base = data, Length = (nuint)buffer.Length };
            var header = new LibC.MsgHdr
            {
                Name = name,
                NameLength = 128,
                Iov = &iov,
                IovLength = 1,
                Control = control,
                ControlLength = 256,
            };
            nint n = LibC.recvmsg(socket.SafeHandle.DangerousGetHandle(), &header, LibC.MsgDontWait);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                datagram = default;
                if (errno == LibC.Eagain)
                {
                    return false;
                }

                throw new SocketException(errno);
            }

            var source = SockAddr.Decode(new ReadOnlySpan<byte>(name, (int)header.NameLength)) ?? new IPEndPoint(IPAddress.None, 0);
            var original = FindOriginalDestination(new ReadOnlySpan<byte>(control, (int)header.ControlLength));
            datagram = new DatagramInfo((int)n, SockAddr.Unmap(source), original is null ? null : SockAddr.Unmap(original),
                (header.Flags & LibC.MsgTrunc) != 0);
            return true;
        }
    }

    /// <summary>
    /// Reads one datagram without blocking and without allocating, and says whether it came from
    /// <paramref name="expectedPeer"/> (a raw sockaddr from <see cref="SockAddr.Encode"/>). When it did not,
    /// <paramref name="source"/> holds the sender. Returns false when none is queued (EAGAIN).
    /// </summary>
    public static bool TryReceiveFrom(Socket socket, Span<byte> buffer, ReadOnlySpan<byte> expectedPeer, out int length, out bool fromPeer, out IPEndPoint? source)
    {
        ArgumentNullException.ThrowIfNull(socket);
        byte* name = stackalloc byte[128];
        fixed (byte* data = buffer)
        {
            var iov = new LibC.IoVec { Base = data, Length = (nuint)buffer.Length };
            var header = new LibC.MsgHdr { Name = name, NameLength = 128, Iov = &iov, IovLength = 1 };
            nint n = LibC.recvmsg(socket.SafeHandle.DangerousGetHandle(), &header, LibC.MsgDontWait);
            if (n < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                length = 0;
                fromPeer = false;
                source = null;
                if (errno == LibC.Eagain)
                {
                    return false;
                }

                throw new SocketException(errno);
            }

            var raw = new ReadOnlySpan<byte>(name, (int)header.NameLength);
            length = (int)n;
            fromPeer = SockAddr.SameEndPoint(raw, expectedPeer);
            source = fromPeer ? null : SockAddr.Unmap(SockAddr.Decode(raw) ?? new IPEndPoint(IPAddress.None, 0));
            return true;
        }
    }

    /// <summary>Walks the cmsg list for IP_ORIGDSTADDR / IPV6_ORIGDSTADDR.</summary>
    internal static IPEndPoint? FindOriginalDestination(ReadOnlySpan<byte> control)
    {
        const int headerSize = 16; // cmsg_len (size_t), cmsg_level (int), cmsg_type (int)
        int offset = 0;
        while (offset + headerSize <= control.Length)
        {
            long length = BinaryPrimitives.ReadInt64LittleEndian(control[offset..]);
            int level = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 8)..]);
            int type = BinaryPrimitives.ReadInt32LittleEndian(control[(offset + 12)..]);
            if (length < headerSize || offset + length > control.Length)
            {
                return null;
            }

            if ((level == LibC.SolIp && type == LibC.IpRecvOrigDstAddr) || (level == LibC.SolIpv6 && type == LibC.Ipv6RecvOrigDstAddr))
            {
                return SockAddr.Decode(control.Slice(offset + headerSize, (int)length - headerSize));
            }

            offset += (int)((length + 7) & ~7L);
        }

        return null;
    }
}
