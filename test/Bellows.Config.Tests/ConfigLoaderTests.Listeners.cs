// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Fact]
    public void Parse_ListenerWithOnlyRequiredKeys_GetsDefaultsForTheRest()
    {
        var config = ConfigText.Valid("{ \"listeners\": [ { \"name\": \"only\", \"mode\": \"redirect\", \"port\": 3128 } ] }");

        var listener = Assert.Single(config.Listeners);
        Assert.Equal(("only", ListenerMode.Redirect, 3128), (listener.Name, listener.Mode, listener.Port));
        Assert.Equal(["0.0.0.0", "::"], listener.Addresses);
        Assert.Equal(
            (ListenerProtocol.Tcp, 0, 0, AcceptorMode.ReusePort, 4096, true, (NatMode?)null),
            (listener.Protocol, listener.Acceptors, listener.Workers, listener.AcceptorMode, listener.Backlog, listener.Enabled, listener.Nat));
    }

    [Fact]
    public void Parse_ListenerMissingRequiredKeys_ReportsEachAtTheObject()
    {
        const string text = "{\n  \"listeners\": [\n    { \"name\": \"a\", \"mode\": \"tproxy\", \"port\": 1 },\n    { \"port\": 2 }\n  ]\n}";

        var result = ConfigText.Parse(text);

        Assert.Collection(
            result.Errors,
            e => Assert.Equal((4, 5, "listeners[1].name", "required key 'name' is missing"), (e.Line, e.Column, e.Key, e.Message)),
            e => Assert.Equal((4, 5, "listeners[1].mode", "required key 'mode' is missing"), (e.Line, e.Column, e.Key, e.Message)));
    }

    [Fact]
    public void Parse_ListenerRequiredKeyWithBadValue_ReportsOnlyTheBadValue()
    {
        var error = ConfigText.SingleError("{ \"listeners\": [ { \"name\": \"a\", \"mode\": \"tproxy\", \"port\": -1 } ] }");

        Assert.Equal("listeners[0].port", error.Key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Edge")]
    [InlineData("edge 1")]
    [InlineData("edge.1")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Parse_BadListenerName_ReportsTheRule(string name)
    {
        var text = $"{{\n  \"listeners\": [\n    {{ \"mode\": \"tproxy\", \"port\": 1,\n      \"name\": \"{name}\" }}\n  ]\n}}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 15, "listeners[0].name"), (error.Line, error.Column, error.Key));
        Assert.Equal($"invalid listener name '{name}'; use 1 to 32 characters from a-z, 0-9, '-' and '_'", error.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("redir-tcp_2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Parse_GoodListenerName_IsAccepted(string name)
    {
        var config = ConfigText.Valid($"{{ \"listeners\": [ {{ \"name\": \"{name}\", \"mode\": \"tproxy\", \"port\": 1 }} ] }}");

        Assert.Equal(name, config.Listeners.Single().Name);
    }

    [Fact]
    public void Parse_DuplicateListenerNames_ReportsTheLaterListener()
    {
        const string text = """
            {
              "listeners": [
                { "name": "edge", "mode": "tproxy", "port": 1 },
                { "name": "other", "mode": "tproxy", "port": 2 },
                { "name": "edge", "mode": "redirect", "port": 3 }
              ]
            }
            """;

        var error = ConfigText.SingleError(text);

        Assert.Equal((5, 15, "listeners[2].name"), (error.Line, error.Column, error.Key));
        Assert.Equal("duplicate listener name 'edge'; listeners[0] already uses it", error.Message);
    }

    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("0.0.0.0", "10.0.0.1")]
    [InlineData("10.0.0.1", "0.0.0.0")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("::", "fd00::1")]
    [InlineData("::1", "0:0:0:0:0:0:0:1")]
    public void Parse_SamePortOverlappingAddresses_ReportsTheLaterPort(string first, string second)
    {
        var text = $$"""
            {
              "listeners": [
                { "name": "one", "mode": "tproxy", "port": 50080, "addresses": ["{{first}}"] },
                { "name": "two", "mode": "redirect",
                  "port": 50080, "addresses": ["{{second}}"] }
              ]
            }
            """;

        var error = ConfigText.SingleError(text);

        Assert.Equal((5, 15, "listeners[1].port"), (error.Line, error.Column, error.Key));
        Assert.StartsWith("port 50080 on ", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlaps listener 'one' (listeners[0])", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0", "::")]
    [InlineData("::", "10.0.0.1")]
    [InlineData("10.0.0.1", "10.0.0.2")]
    [InlineData("::1", "::2")]
    public void Parse_SamePortDisjointAddresses_IsAccepted(string first, string second)
    {
        var text = $$"""
            { "listeners": [
                { "name": "one", "mode": "tproxy", "port": 50080, "addresses": ["{{first}}"] },
                { "name": "two", "mode": "tproxy", "port": 50080, "addresses": ["{{second}}"] } ] }
            """;

        Assert.Equal(2, ConfigText.Valid(text).Listeners.Count);
    }

    [Fact]
    public void Parse_SamePortDefaultAddresses_NamesTheFirstOverlap()
    {
        const string text = """
            { "listeners": [
                { "name": "one", "mode": "tproxy", "port": 7 },
                { "name": "two", "mode": "tproxy", "port": 7 } ] }
            """;

        var error = ConfigText.SingleError(text);

        Assert.Equal("port 7 on 0.0.0.0 overlaps listener 'one' (listeners[0]) on 0.0.0.0", error.Message);
    }

    [Fact]
    public void Parse_SamePortOneListenerDisabled_IsAccepted()
    {
        const string text = """
            { "listeners": [
                { "name": "one", "mode": "tproxy", "port": 7 },
                { "name": "two", "mode": "tproxy", "port": 7, "enabled": false } ] }
            """;

        var config = ConfigText.Valid(text);

        Assert.False(config.Listeners[1].Enabled);
    }

    [Fact]
    public void Parse_ThreeListenersOnOnePort_ReportsEachLaterClash()
    {
        const string text = """
            { "listeners": [
                { "name": "one", "mode": "tproxy", "port": 7 },
                { "name": "two", "mode": "tproxy", "port": 7 },
                { "name": "three", "mode": "tproxy", "port": 7 } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.Equal(["listeners[1].port", "listeners[2].port", "listeners[2].port"], result.Errors.Select(e => e.Key));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("10.0.0.256")]
    [InlineData("80")]
    [InlineData("010.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("1.2.3.4:80")]
    [InlineData(" 10.0.0.1")]
    [InlineData("")]
    public void Parse_UnparsableAddress_ReportsTheElement(string address)
    {
        var error = ConfigText.SingleError(ConfigText.Listener("addresses", $"[\"127.0.0.1\", \"{address}\"]"));

        Assert.Equal((4, 34, "listeners[0].addresses[1]"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{address}' is not an IP address; write an IPv4 address as a.b.c.d and IPv6 without brackets", error.Message);
    }

    [Fact]
    public void Parse_AddressScopedToUnknownInterface_ReportsTheScope()
    {
        var error = ConfigText.SingleError(ConfigText.Listener("addresses", "[\"fe80::1%no-such-if0\"]"));

        Assert.Equal("listeners[0].addresses[0]", error.Key);
        Assert.Equal("'fe80::1%no-such-if0' is not an IPv6 address with the scope of an existing interface", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1%1")]
    [InlineData("::ffff:10.0.0.1")]
    public void Parse_GoodAddress_IsKeptAsWritten(string address)
    {
        var config = ConfigText.Valid(ConfigText.Listener("addresses", $"[\"{address}\"]"));

        Assert.Equal([address], config.Listeners.Single().Addresses);
    }

    [Fact]
    public void Parse_EmptyAddressList_ReportsIt()
    {
        var error = ConfigText.SingleError(ConfigText.Listener("addresses", "[]"));

        Assert.Equal("listeners[0].addresses", error.Key);
        Assert.Equal("expected at least one address, such as \"0.0.0.0\" or \"::\"", error.Message);
    }

    [Fact]
    public void Parse_OverlappingAddressesInOneListener_ReportsTheLaterOne()
    {
        var error = ConfigText.SingleError(ConfigText.Listener("addresses", "[\"0.0.0.0\", \"::\", \"10.1.1.1\"]"));

        Assert.Equal("listeners[0].addresses[2]", error.Key);
        Assert.Equal("10.1.1.1 overlaps 0.0.0.0 at addresses[0] of the same listener", error.Message);
    }

    [Fact]
    public void Parse_EmptyListenerList_IsValidWithAWarning()
    {
        var result = ConfigText.Parse("{\n  \"listeners\": []\n}");

        Assert.True(result.IsValid);
        Assert.Empty(result.Config.Listeners);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((2, 16, "listeners"), (warning.Line, warning.Column, warning.Key));
    }

    [Fact]
    public void Parse_AllListenersDisabled_WarnsThatNothingListens()
    {
        var result = ConfigText.Parse(ConfigText.Listener("enabled", "false"));

        Assert.True(result.IsValid);
        Assert.Equal("no listener is enabled; Bellows will accept no connections", Assert.Single(result.Warnings).Message);
    }
}
