// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Internal;

/// <summary>
/// Bounds-checked big-endian reader for TLS presentation-language structures. Every read either succeeds
/// or returns false and leaves the reader where it was; nothing ever indexes outside the span.
/// </summary>
/// <remarks>
/// <see cref="AbsoluteOffset"/> tracks where the reader's span starts inside the buffer it was cut from, so
/// that callers can hand out <see cref="ReadOnlyMemory{T}"/> slices of that buffer instead of copies.
/// </remarks>
internal ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public TlsReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsEmpty => _position == _data.Length;

    /// <summary>Offset of the next unread byte in the outermost buffer.</summary>
    public readonly int AbsoluteOffset => _baseOffset + _position;

    public bool TryReadUInt8(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _data[_position];
        _position++;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = (ushort)((_data[_position] << 8) | _data[_position + 1]);
        _position += 2;
        return true;
    }

    public bool TryReadBytes(int count, out TlsReader slice)
    {
        if (count < 0 || Remaining < count)
        {
            slice = default;
            return false;
        }

        slice = new TlsReader(_data.Slice(_position, count), _baseOffset + _position);
        _position += count;
        return true;
    }

    /// <summary>Reads an opaque vector with a one-byte length prefix (<c>&lt;0..2^8-1&gt;</c>).</summary>
    public bool TryReadVector8(out TlsReader body)
    {
        int start = _position;
        if (!TryReadUInt8(out byte length) || !TryReadBytes(length, out body))
        {
            _position = start;
            body = default;
            return false;
        }

        return true;
    }

    /// <summary>Reads an opaque vector with a two-byte length prefix (<c>&lt;0..2^16-1&gt;</c>).</summary>
    public bool TryReadVector16(out TlsReader body)
    {
        int start = _position;
        if (!TryReadUInt16(out ushort length) || !TryReadBytes(length, out body))
        {
            _position = start;
            body = default;
            return false;
        }

        return true;
    }

    /// <summary>The unread bytes.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _data[_position..];
}
