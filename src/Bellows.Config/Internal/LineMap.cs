// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>Turns byte offsets in UTF-8 text into 1-based lines and columns, counting columns in code points.</summary>
internal sealed class LineMap
{
    private readonly byte[] _utf8;
    private readonly int[] _lineStarts;

    public LineMap(byte[] utf8)
    {
        _utf8 = utf8;
        var starts = new List<int> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public TextPosition PositionOf(long offset)
    {
        var clamped = (int)Math.Clamp(offset, 0, _utf8.Length);
        var line = Array.BinarySearch(_lineStarts, clamped);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new TextPosition(line + 1, ColumnOf(_lineStarts[line], clamped));
    }

    /// <summary>For positions that <c>JsonException</c> gives: a 0-based line and a 0-based byte in that line.</summary>
    public TextPosition PositionAt(long zeroBasedLine, long byteInLine)
    {
        var line = (int)Math.Clamp(zeroBasedLine, 0, _lineStarts.Length - 1);
        return PositionOf(_lineStarts[line] + byteInLine);
    }

    private int ColumnOf(int lineStart, int offset)
    {
        var column = 1;
        for (var i = lineStart; i < offset; i++)
        {
            // UTF-8 continuation bytes (10xxxxxx) do not start a character.
            if ((_utf8[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return column;
    }
}
