// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>
/// Hand-made ClientHello records for the hostile-client tests: a well-formed TLS 1.3 hello with SNI (which can
/// then be cut short), and a hello that claims more than any server should buffer.
/// </summary>
internal static class ClientHelloBytes
{
    /// <summary>One TLS record holding a complete ClientHello for <paramref name="serverName"/> (about 200 bytes).</summary>
    public static byte[] Build(string serverName) => Build(serverName, RandomNumberGenerator.GetBytes);

    /// <summary>The same, with the random, session id and key share from <paramref name="random"/>: the same bytes for the same seed.</summary>
    public static byte[] Build(string serverName, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Build(serverName, count =>
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            return bytes;
        });
    }

    private static byte[] Build(string serverName, Func<int, byte[]> randomBytes)
    {
        var body = new List<byte>();
        body.AddRange([0x03, 0x03]);
        body.AddRange(randomBytes(32));
        body.Add(32);
        body.AddRange(randomBytes(32));
        body.AddRange(U16(6));
        body.AddRange([0x13, 0x01, 0x13, 0x02, 0xc0, 0x2b]);
        body.AddRange([1, 0]);

        var extensions = new List<byte>();
        byte[] name = Encoding.ASCII.GetBytes(serverName);
        Extension(extensions, 0x0000, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]);
        Extension(extensions, 0x000a, [.. U16(4), 0x00, 0x1d, 0x00, 0x17]);
        Extension(extensions, 0x000d, [.. U16(4), 0x04, 0x03, 0x08, 0x04]);
        Extension(extensions, 0x002b, [4, 0x03, 0x04, 0x03, 0x03]);
        Extension(extensions, 0x0033, [.. U16(36), 0x00, 0x1d, .. U16(32), .. randomBytes(32)]);
        Extension(extensions, 0x0010, [.. U16(9), 8, .. "http/1.1"u8.ToArray()]);
        body.AddRange(U16(extensions.Count));
        body.AddRange(extensions);

        var handshake = new List<byte> { 1 };
        handshake.AddRange(U24(body.Count));
        handshake.AddRange(body);
        return [0x16, 0x03, 0x01, .. U16(handshake.Count), .. handshake];
    }

    /// <summary>
    /// The first records of a ClientHello whose handshake header claims <paramref name="claimedLength"/> bytes,
    /// split into full 16 KiB records: <paramref name="records"/> of them, <paramref name="records"/> × 16 KiB sent.
    /// </summary>
    public static byte[] Oversized(int claimedLength, int records)
    {
        var stream = new MemoryStream();
        for (int r = 0; r < records; r++)
        {
            var payload = new byte[16384];
            if (r == 0)
            {
                payload[0] = 1;
                U24(claimedLength).CopyTo(payload, 1);
                payload[4] = 0x03;
                payload[5] = 0x03;
            }

            stream.Write([0x16, 0x03, 0x01, .. U16(payload.Length)]);
            stream.Write(payload);
        }

        return stream.ToArray();
    }

    private static void Extension(List<byte> to, int type, byte[] data)
    {
        to.AddRange(U16(type));
        to.AddRange(U16(data.Length));
        to.AddRange(data);
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    private static byte[] U24(int value) => [(byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
