// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
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

    [Theory]
    [InlineData("198.18.1.2", 53)]
    [InlineData("2001:2:0:2::2", 443)]
    public void Encode_RoundTripsThroughDecode(string address, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(address), port);
        Assert.Equal(endPoint, SockAddr.Decode(SockAddr.Encode(endPoint)));
    }

    [Theory]
    [InlineData("198.18.0.2", 1234, "198.18.0.2", 1234, true)]
    [InlineData("198.18.0.2", 1234, "198.18.0.2", 1235, false)]
    [InlineData("198.18.0.2", 1234, "198.18.0.3", 1234, false)]
    [InlineData("2001:2::2", 1234, "2001:2::2", 1234, true)]
    [InlineData("2001:2::2", 1234, "2001:2::3", 1234, false)]
    [InlineData("2001:2::2", 1234, "198.18.0.2", 1234, false)]
    public void SameEndPoint_ComparesFamilyPortAndAddress(string a, int aPort, string b, int bPort, bool same)
    {
        var left = SockAddr.Encode(new IPEndPoint(IPAddress.Parse(a), aPort));
        var right = SockAddr.Encode(new IPEndPoint(IPAddress.Parse(b), bPort));
        Assert.Equal(same, SockAddr.SameEndPoint(left, right));
    }

    [Fact]
    public void SameEndPoint_IgnoresFlowLabelAndTruncation()
    {
        var a = SockAddr.Encode(new IPEndPoint(IPAddress.Parse("2001:2::2"), 53));
        var b = (byte[])a.Clone();
        b[4] = 0x7f; // sin6_flowinfo
        Assert.True(SockAddr.SameEndPoint(a, b));
        Assert.False(SockAddr.SameEndPoint(a, a.AsSpan(0, 6)));
    }
}
