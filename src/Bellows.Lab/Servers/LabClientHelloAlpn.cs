// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;

namespace Bellows.Lab.Servers;

/// <summary>
/// Reads the ALPN list of a client's ClientHello without consuming it (MSG_PEEK), so the TLS origin can honour
/// the client's preference: SslStream on Linux picks the server's first protocol that the client offers.
/// </summary>
/// <remarks>
/// Deliberately separate from Bellows' own ClientHello parser: the lab origin must not share the bugs of the code
/// under test. It reads only a hello that fits in the first record, which every lab client's does; anything
/// else gets the server's order.
/// </remarks>
internal static class LabClientHelloAlpn
{
    private const int RecordHeader = 5;
    private const int MaxRecord = RecordHeader + 16384;
    private const ushort AlpnExtension = 16;

    /// <summary>The client's protocols in its order, or null when there is no readable ALPN extension.</summary>
    public static async Task<List<SslApplicationProtocol>?> PeekAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRecord];
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int n = await connection.ReceiveAsync(buffer, SocketFlags.Peek, cancellationToken).ConfigureAwait(false);
            if (n < RecordHeader || buffer[0] != 0x16)
            {
                return null;
            }

            int needed = RecordHeader + BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(3));
            if (n >= needed)
            {
                return Parse(buffer.AsSpan(RecordHeader, needed - RecordHeader));
            }

            // The peek returns at once while any byte is queued: wait for the rest of the record to arrive.
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static List<SslApplicationProtocol>? Parse(ReadOnlySpan<byte> handshake)
    {
        // ClientHello: type(1) length(3) version(2) random(32) session_id<1> cipher_suites<2> compression<1> extensions<2>.
        if (handshake.Length < 4 || handshake[0] != 1)
        {
            return null;
        }

        var body = handshake[4..];
        if (!Skip(ref body, 34) || !SkipVector(ref body, 1) || !SkipVector(ref body, 2) || !SkipVector(ref body, 1) || body.Length < 2)
        {
            return null;
        }

        var extensions = body.Slice(2, Math.Min(body.Length - 2, BinaryPrimitives.ReadUInt16BigEndian(body)));
        while (extensions.Length >= 4)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            int length = BinaryPrimitives.ReadUInt16BigEndian(extensions[2..]);
            if (extensions.Length < 4 + length)
            {
                return null;
            }

            if (type == AlpnExtension && length >= 2)
            {
                return ReadProtocols(extensions.Slice(6, length - 2));
            }

            extensions = extensions[(4 + length)..];
        }

        return null;
    }

    private static List<SslApplicationProtocol> ReadProtocols(ReadOnlySpan<byte> list)
    {
        var protocols = new List<SslApplicationProtocol>();
        while (list.Length > 0 && list.Length >= 1 + list[0])
        {
            protocols.Add(new SslApplicationProtocol(list.Slice(1, list[0]).ToArray()));
            list = list[(1 + list[0])..];
        }

        return protocols;
    }

    private static bool Skip(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            return false;
        }

        span = span[count..];
        return true;
    }

    private static bool SkipVector(ref ReadOnlySpan<byte> span, int lengthBytes)
    {
        if (span.Length < lengthBytes)
        {
            return false;
        }

        int length = lengthBytes == 1 ? span[0] : BinaryPrimitives.ReadUInt16BigEndian(span);
        return Skip(ref span, lengthBytes + length);
    }
}
