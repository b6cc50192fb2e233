// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Transport.Buffers;

/// <summary>A snapshot of <see cref="PinnedBufferPool"/> accounting.</summary>
/// <param name="BufferSize">Bytes per buffer.</param>
/// <param name="Rented">Buffers handed out since start.</param>
/// <param name="Returned">Buffers given back since start.</param>
/// <param name="Outstanding">Rented and not yet returned: 0 when no session is moving data.</param>
/// <param name="PeakOutstanding">Highest <paramref name="Outstanding"/> seen.</param>
/// <param name="Misses">Rents the free list could not serve, so a new buffer was allocated.</param>
/// <param name="Retained">Free buffers kept for reuse now.</param>
/// <param name="Discarded">Returned buffers dropped because the free list was full or trimmed.</param>
public readonly record struct BufferPoolStatistics(
    int BufferSize,
    long Rented,
    long Returned,
    long Outstanding,
    long PeakOutstanding,
    long Misses,
    int Retained,
    long Discarded);
