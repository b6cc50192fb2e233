// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Tls.ClientHello;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.ClientHello;

/// <summary>
/// Random damage to real ClientHellos: the parser must return one of its statuses, never throw, and hand out
/// a usable <see cref="ClientHelloInfo"/> exactly when it says Complete.
/// </summary>
public class ClientHelloMutationTests
{
    private const int Mutations = 20_000;

    [Fact]
    public void TryParse_TwentyThousandMutations_NeverThrowsAndReturnsAKnownStatus()
    {
        var random = new Random(20240601);
        var corpus = ClientHelloAssets.All.Select(ClientHelloAssets.Load)
            .Concat(ClientHelloAssets.All.Select(a => ClientHelloBuilder.Records(ClientHelloBuilder.HandshakeOf(ClientHelloAssets.Load(a)), 37)))
            .ToArray();
        var counts = new Dictionary<ClientHelloParseStatus, int>();

        for (int i = 0; i < Mutations; i++)
        {
            byte[] input = Mutate(corpus[random.Next(corpus.Length)], random);
            var status = ClientHelloParser.TryParse(input, out var hello, out string? reason);

            Assert.True(Enum.IsDefined(status), $"status {(int)status}");
            Assert.Equal(status == ClientHelloParseStatus.Complete, hello is not null);
            Assert.Equal(status == ClientHelloParseStatus.Invalid, reason is not null);
            if (hello is not null)
            {
                Assert.Matches("^t[0-9s]{2}[di][0-9]{4}[0-9A-Za-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$", hello.ComputeJa4());
                Assert.True(hello.HandshakeBytes.Length <= ClientHelloParser.DefaultMaxHandshakeLength);
                Assert.True(hello.ServerName is null || hello.ServerName.Length <= 255);
            }

            counts[status] = counts.GetValueOrDefault(status) + 1;
        }

        // The mutations must exercise more than one outcome to be worth anything.
        Assert.True(counts.GetValueOrDefault(ClientHelloParseStatus.Invalid) > 1000, string.Join(", ", counts));
        Assert.True(counts.GetValueOrDefault(ClientHelloParseStatus.Incomplete) > 1000, string.Join(", ", counts));
        Assert.True(counts.GetValueOrDefault(ClientHelloParseStatus.Complete) > 100, string.Join(", ", counts));
    }

    [Fact]
    public void TryParse_RandomGarbage_NeverThrows()
    {
        var random = new Random(7);
        for (int i = 0; i < 5_000; i++)
        {
            byte[] input = new byte[random.Next(0, 600)];
            random.NextBytes(input);
            if (input.Length > 1 && random.Next(2) == 0)
            {
                input[0] = 0x16;
                input[1] = 0x03;
            }

            var status = ClientHelloParser.TryParse(input, out var hello);
            Assert.True(Enum.IsDefined(status));
            Assert.Equal(status == ClientHelloParseStatus.Complete, hello is not null);
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        byte[] data = (byte[])original.Clone();
        int rounds = random.Next(1, 4);
        for (int r = 0; r < rounds && data.Length > 0; r++)
        {
            switch (random.Next(6))
            {
                case 0: // flip bits in one byte
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // random byte
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                    break;
                case 2: // truncate
                    data = data[..random.Next(data.Length)];
                    break;
                case 3: // a 16-bit "length" somewhere: zero, max, off by one, or random
                    if (data.Length > 2)
                    {
                        int at = random.Next(data.Length - 1);
                        int value = random.Next(4) switch
                        {
                            0 => 0,
                            1 => 0xffff,
                            2 => ((data[at] << 8) | data[at + 1]) + (random.Next(2) == 0 ? 1 : -1),
                            _ => random.Next(0x10000),
                        };
                        data[at] = (byte)(value >> 8);
                        data[at + 1] = (byte)value;
                    }

                    break;
                case 4: // delete a run
                    {
                        int at = random.Next(data.Length);
                        int count = Math.Min(random.Next(1, 8), data.Length - at);
                        data = [.. data[..at], .. data[(at + count)..]];
                    }

                    break;
                default: // insert a run
                    {
                        int at = random.Next(data.Length);
                        byte[] extra = new byte[random.Next(1, 8)];
                        random.NextBytes(extra);
                        data = [.. data[..at], .. extra, .. data[at..]];
                    }

                    break;
            }
        }

        return data;
    }
}
