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

    /// <summary>The Linux sockaddr_in / sockaddr_in6 of <paramref name="endPoint"/>.</summary>
    public static byte[] Encode(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        bool v6 = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var raw = new byte[v6 ? 28 : 16];
        BinaryPrimitives.WriteUInt16LittleEndian(raw, (ushort)(v6 ? LibC.AfInet6 : LibC.AfInet));
        BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(2), (ushort)endPoint.Port);
        if (v6)
        {
            endPoint.Address.TryWriteBytes(raw.AsSpan(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(24), (uint)endPoint.Address.ScopeId);
        }
        else
        {
            endPoint.Address.TryWriteBytes(raw.AsSpan(4, 4), out _);
        }

        return raw;
    }

    /// <summary>Same family, port and address (flow label and scope ignored), compared without decoding.</summary>
    public static bool SameEndPoint(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length < 8 || b.Length < 8 || !a[..4].SequenceEqual(b[..4]))
        {
            return false;
        }

        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(a);
        return family == LibC.AfInet
            ? a.Slice(4, 4).SequenceEqual(b.Slice(4, 4))
            : a.Length >= 24 && b.Length >= 24 && a.Slice(8, 16).SequenceEqual(b.Slice(8, 16));
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
