// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Text;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>One hello of the corpus: where it came from, and its bytes (whole TLS records).</summary>
internal sealed record ClientHelloSample(string Name, byte[] Bytes);

/// <summary>
/// Real ClientHellos to damage: the four captured by the parser tests (openssl s_client 3.0 TLS 1.3 with SNI and
/// ALPN, TLS 1.2, no SNI; curl 7.88), linked from test/Bellows.Tls.Tests/Assets; a hello for www.lab.test, which
/// the lab origin serves, so that intact ones go all the way to the client handshake; and each of them again
/// split into 37-byte records. The damage is the parser mutation test's, plus record-header damage.
/// </summary>
internal static class ClientHelloCorpus
{
    private static readonly string[] s_captured = ["openssl-tls13-sni-alpn", "openssl-tls12-sni", "openssl-nosni", "curl-sni-alpn"];

    public static IReadOnlyList<ClientHelloSample> Load(string serverName, Random random)
    {
        var whole = s_captured.Select(n => new ClientHelloSample(n, Captured(n)))
            .Append(new ClientHelloSample("built-" + serverName, ClientHelloBytes.Build(serverName, random)))
            .ToList();
        return [.. whole, .. whole.Select(s => new ClientHelloSample(s.Name + "/37", Refragment(s.Bytes, 37)))];
    }

    public static byte[] Captured(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", "ClientHello", name + ".hex")).Trim());

    /// <summary>The same handshake message carried by records of at most <paramref name="size"/> bytes.</summary>
    public static byte[] Refragment(byte[] records, int size)
    {
        var handshake = new List<byte>();
        for (int at = 0; at + 5 <= records.Length;)
        {
            int length = (records[at + 3] << 8) | records[at + 4];
            handshake.AddRange(records.AsSpan(at + 5, Math.Min(length, records.Length - at - 5)).ToArray());
            at += 5 + length;
        }

        var output = new List<byte>();
        foreach (var chunk in handshake.Chunk(size))
        {
            output.AddRange([0x16, 0x03, 0x01, (byte)(chunk.Length >> 8), (byte)chunk.Length]);
            output.AddRange(chunk);
        }

        return [.. output];
    }

    /// <summary>One to three random changes; <paramref name="description"/> lists them, to reproduce a failure by eye.</summary>
    public static byte[] Mutate(byte[] original, Random random, out string description)
    {
        byte[] data = (byte[])original.Clone();
        var steps = new StringBuilder();
        int rounds = random.Next(1, 4);
        for (int r = 0; r < rounds && data.Length > 0; r++)
        {
            int at = random.Next(data.Length);
            switch (random.Next(7))
            {
                case 0:
                    {
                        int bit = random.Next(8);
                        data[at] ^= (byte)(1 << bit);
                        steps.Append(FormattableString.Invariant($"flip@{at}.{bit} "));
                        break;
                    }

                case 1:
                    data[at] = (byte)random.Next(256);
                    steps.Append(FormattableString.Invariant($"set@{at}={data[at]:x2} "));
                    break;
                case 2:
                    data = data[..at];
                    steps.Append(FormattableString.Invariant($"cut@{at} "));
                    break;
                case 3:
                    // A 16-bit "length" somewhere: zero, max, off by one, or random.
                    if (data.Length > 2)
                    {
                        at = Math.Min(at, data.Length - 2);
                        int value = random.Next(4) switch
                        {
                            0 => 0,
                            1 => 0xffff,
                            2 => ((data[at] << 8) | data[at + 1]) + (random.Next(2) == 0 ? 1 : -1),
                            _ => random.Next(0x10000),
                        };
                        data[at] = (byte)(value >> 8);
                        data[at + 1] = (byte)value;
                        steps.Append(FormattableString.Invariant($"len16@{at}={value & 0xffff:x4} "));
                    }

                    break;
                case 4:
                    {
                        int count = Math.Min(random.Next(1, 8), data.Length - at);
                        data = [.. data[..at], .. data[(at + count)..]];
                        steps.Append(FormattableString.Invariant($"del@{at}+{count} "));
                        break;
                    }

                case 5:
                    {
                        byte[] extra = new byte[random.Next(1, 8)];
                        random.NextBytes(extra);
                        data = [.. data[..at], .. extra, .. data[at..]];
                        steps.Append(FormattableString.Invariant($"ins@{at}+{extra.Length} "));
                        break;
                    }

                default:
                    {
                        // The first record header: content type, version, length.
                        int header = random.Next(Math.Min(5, data.Length));
                        data[header] = (byte)random.Next(256);
                        steps.Append(FormattableString.Invariant($"hdr@{header}={data[header]:x2} "));
                        break;
                    }
            }
        }

        description = steps.ToString().TrimEnd();
        return data;
    }
}
