// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Net;
using Bellows.Config.Internal;

namespace Bellows.Config.Tests.Internal;

public class BindAddressTests
{
    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("::", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("127.1", false)]
    [InlineData("0x7f.0.0.1", false)]
    [InlineData("[2001:db8::1]", false)]
    [InlineData("example.com", false)]
    [InlineData("fe80::1%1", true)]
    [InlineData("fe80::1%no-such-interface", false)]
    public void TryParse_Text_AcceptsOnlyPlainLiterals(string text, bool expected)
    {
        Assert.Equal(expected, BindAddress.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0.0.0.0", "192.168.1.1", true)]
    [InlineData("::", "::1", true)]
    [InlineData("::", "0.0.0.0", false)]
    [InlineData("::", "127.0.0.1", false)]
    [InlineData("10.0.0.1", "10.0.0.2", false)]
    public void Overlaps_TwoAddresses_MatchesBindRules(string a, string b, bool expected)
    {
        Assert.Equal(expected, BindAddress.Overlaps(IPAddress.Parse(a), IPAddress.Parse(b)));
    }

    [Theory]
    [InlineData("0.0.0.0", true)]
    [InlineData("::", true)]
    [InlineData("0:0:0:0:0:0:0:0", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:0.0.0.0", false)]
    public void IsWildcard_Address_IsTrueOnlyForTheAnyAddresses(string text, bool expected)
    {
        Assert.Equal(expected, BindAddress.IsWildcard(IPAddress.Parse(text)));
    }
}
