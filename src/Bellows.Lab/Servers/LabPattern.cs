// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography;

namespace Bellows.Lab.Servers;

/// <summary>
/// The deterministic byte stream the lab servers send, so a receiver can check a transfer of any size without a
/// copy of it. The block length is prime, so chunks never line up with relay buffers: reordered or repeated
/// buffers change the hash.
/// </summary>
public static class LabPattern
{
    public const int BlockLength = 65521;

    private static readonly byte[] s_block = CreateBlock();

    /// <summary>Copies the pattern bytes at stream offset <paramref name="offset"/> into <paramref name="destination"/>.</summary>
    public static void Fill(long offset, Span<byte> destination)
    {
        int written = 0;
        while (written < destination.Length)
        {
            int start = (int)((offset + written) % BlockLength);
            int count = Math.Min(BlockLength - start, destination.Length - written);
            s_block.AsSpan(start, count).CopyTo(destination[written..]);
            written += count;
        }
    }

    /// <summary>SHA-256 (lowercase hex) of the first <paramref name="length"/> bytes of the pattern.</summary>
    public static string Sha256(long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 20];
        for (long offset = 0; offset < length; offset += chunk.Length)
        {
            int n = (int)Math.Min(chunk.Length, length - offset);
            Fill(offset, chunk.AsSpan(0, n));
            hash.AppendData(chunk, 0, n);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] CreateBlock()
    {
        var block = new byte[BlockLength];
        uint x = 0x9E3779B9;
        for (int i = 0; i < block.Length; i++)
        {
            // xorshift32: cheap and not compressible.
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            block[i] = (byte)x;
        }

        return block;
    }
}
