// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Text;
using Bellows.Config.Internal;

namespace Bellows.Config.Tests.Internal;

public class LineMapTests
{
    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(2, 1, 3)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 2, 3)]
    [InlineData(6, 3, 1)]
    public void PositionOf_Offset_GivesLineAndColumn(int offset, int line, int column)
    {
        var map = new LineMap(Encoding.UTF8.GetBytes("ab\ncd\nef"));

        Assert.Equal(new TextPosition(line, column), map.PositionOf(offset));
    }

    [Fact]
    public void PositionOf_AfterMultiByteCharacters_CountsCharacters()
    {
        // "é" is 2 bytes and "€" is 3: the x sits at byte 6 but is the 4th character.
        var bytes = Encoding.UTF8.GetBytes("é€ x");

        Assert.Equal(new TextPosition(1, 4), new LineMap(bytes).PositionOf(Array.IndexOf(bytes, (byte)'x')));
    }

    [Fact]
    public void PositionAt_ZeroBasedLineAndByte_GivesOneBasedPosition()
    {
        var map = new LineMap(Encoding.UTF8.GetBytes("{\n  \"ä\": x"));

        Assert.Equal(new TextPosition(2, 8), map.PositionAt(1, 8));
    }

    [Fact]
    public void PositionOf_PastTheEnd_IsClamped()
    {
        var map = new LineMap(Encoding.UTF8.GetBytes("ab\n"));

        Assert.Equal(new TextPosition(2, 1), map.PositionOf(99));
    }
}
