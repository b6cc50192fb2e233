using System.Net;
using Bellows.Transport.Sockets;

namespace Bellows.Transport.Tests.Sockets;

public class SockAddrTests
{
    [Fact]
    public void Decode_SockaddrIn_ReturnsAddressAndPort()
    {
        byte[] raw = [2, 0, 0x1f, 0x90, 198, 18, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.1.2"), 8080), SockAddr.Decode(raw));
    }

    [Fact]
    public void Decode_SockaddrIn6_ReturnsAddressAndPort()
    {
        var raw = new byte[28];
        raw[0] = 10;
        raw[2] = 0x01;
        raw[3] = 0xbb;
        IPAddress.Parse("2001:2:0:2::2").GetAddressBytes().CopyTo(raw, 8);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:2:0:2::2"), 443), SockAddr.Decode(raw));
    }

    [Theory]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 2, 0, 0, 80 })]
    [InlineData(new byte[] { 99, 0, 0, 80, 1, 2, 3, 4 })]
    public void Decode_TruncatedOrUnknown_ReturnsNull(byte[] raw) => Assert.Null(SockAddr.Decode(raw));

    [Fact]
    public void Unmap_MappedIPv4_BecomesIPv4()
    {
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:198.18.0.2"), 1234);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 1234), SockAddr.Unmap(mapped));
    }
}
