// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Buffers.Binary;
using System.Text;

namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>Builds ClientHello bytes field by field, for cases no real client produces.</summary>
internal sealed class ClientHelloBuilder
{
    public ushort LegacyVersion { get; set; } = 0x0303;

    public byte[] Random { get; set; } = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    public byte[] SessionId { get; set; } = new byte[32];

    public List<ushort> CipherSuites { get; } = [0x1301, 0x1302, 0xc02f];

    public byte[] CompressionMethods { get; set; } = [0];

    public List<(ushort Type, byte[] Data)> Extensions { get; } = [];

    /// <summary>Omit the extensions block entirely (legal before TLS 1.3).</summary>
    public bool OmitExtensions { get; set; }

    public ClientHelloBuilder Add(ushort type, byte[] data)
    {
        Extensions.Add((type, data));
        return this;
    }

    public static byte[] ServerName(string host)
    {
        byte[] name = Encoding.ASCII.GetBytes(host);
        return [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name];
    }

    public static byte[] Alpn(params string[] protocols)
    {
        var list = new List<byte>();
        foreach (string protocol in protocols)
        {
            list.Add((byte)protocol.Length);
            list.AddRange(Encoding.ASCII.GetBytes(protocol));
        }

        return [.. U16(list.Count), .. list];
    }

    public static byte[] AlpnRaw(params byte[][] protocols)
    {
        var list = new List<byte>();
        foreach (byte[] protocol in protocols)
        {
            list.Add((byte)protocol.Length);
            list.AddRange(protocol);
        }

        return [.. U16(list.Count), .. list];
    }

    public static byte[] SupportedVersions(params ushort[] versions) =>
        [(byte)(versions.Length * 2), .. versions.SelectMany(v => U16(v))];

    /// <summary>A 16-bit length followed by 16-bit values (supported_groups, signature_algorithms).</summary>
    public static byte[] U16List(params ushort[] values) => [.. U16(values.Length * 2), .. values.SelectMany(v => U16(v))];

    public static byte[] KeyShare(params ushort[] groups)
    {
        var shares = new List<byte>();
        foreach (ushort group in groups)
        {
            shares.AddRange(U16(group));
            shares.AddRange(U16(32));
            shares.AddRange(new byte[32]);
        }

        return [.. U16(shares.Count), .. shares];
    }

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    /// <summary>The handshake message: type 1, 24-bit length, body.</summary>
    public byte[] BuildHandshake()
    {
        var body = new List<byte>();
        body.AddRange(U16(LegacyVersion));
        body.AddRange(Random);
        body.Add((byte)SessionId.Length);
        body.AddRange(SessionId);
        body.AddRange(U16(CipherSuites.Count * 2));
        body.AddRange(CipherSuites.SelectMany(v => U16(v)));
        body.Add((byte)CompressionMethods.Length);
        body.AddRange(CompressionMethods);
        if (!OmitExtensions)
        {
            var extensions = new List<byte>();
            foreach (var (type, data) in Extensions)
            {
                extensions.AddRange(U16(type));
                extensions.AddRange(U16(data.Length));
                extensions.AddRange(data);
            }

            body.AddRange(U16(extensions.Count));
            body.AddRange(extensions);
        }

        return [1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count, .. body];
    }

    /// <summary>The handshake message in one record.</summary>
    public byte[] Build() => Records(BuildHandshake(), int.MaxValue);

    /// <summary>Wraps a handshake message into handshake records of at most <paramref name="fragment"/> bytes.</summary>
    public static byte[] Records(ReadOnlySpan<byte> handshake, int fragment)
    {
        var output = new List<byte>();
        for (int offset = 0; offset < handshake.Length; offset += fragment)
        {
            int length = Math.Min(fragment, handshake.Length - offset);
            output.AddRange([0x16, 0x03, 0x01, (byte)(length >> 8), (byte)length]);
            output.AddRange(handshake.Slice(offset, length));
        }

        return [.. output];
    }

    /// <summary>Extracts the handshake message from single-or-multi-record bytes (test helper: assumes well-formed input).</summary>
    public static byte[] HandshakeOf(byte[] records)
    {
        var output = new List<byte>();
        for (int position = 0; position + 5 <= records.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(records.AsSpan(position + 3));
            output.AddRange(records.AsSpan(position + 5, length));
            position += 5 + length;
        }

        return [.. output];
    }
}
