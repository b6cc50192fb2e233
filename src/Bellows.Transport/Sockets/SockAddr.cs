// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Buffers.Binary;
using System.Net;
using Bellows.Transport.Interop;

namespace Bellows.Transport.Sockets;

/// <summary>Decodes Linux sockaddr_in / sockaddr_in6 as returned by getsockopt and recvmsg ancillary data.</summary>
public static class SockAddr
{
    public static IPEndPoint? Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < 2)
        {
            return null;
        }

        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(raw);
        if (family == LibC.AfInet && raw.Length >= 8)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
            return new IPEndPoint(new IPAddress(raw.Slice(4, 4)), port);
        }

        if (family == LibC.AfInet6 && raw.Length >= 24)
        {
            int port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
            uint scope = BinaryPrimitives.ReadUInt32LittleEndian(raw[24..]);
            return new IPEndPoint(new IPAddress(raw.Slice(8, 16), scope), port);
        }

        return null;
    }

    /// <summary>IPv4-mapped IPv6 addresses (from dual-stack sockets) are shown and compared as plain IPv4.</summary>
    public static IPEndPoint Unmap(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.Address.IsIPv4MappedToIPv6
            ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port)
            : endPoint;
    }
}
