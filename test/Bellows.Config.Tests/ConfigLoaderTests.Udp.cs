// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    private const string QuickPortsWarning =
        "ignored: Smithproxy's udp_quick_ports is a no-op there too; every UDP flow is a connected (\"cooked\") flow";

    [Fact]
    public void Parse_UdpScalars_AreBound()
    {
        var config = ConfigText.Valid("{ \"udp\": { \"idle_timeout\": 0.5, \"max_flows\": 10, \"early_queue\": 1 } }");

        Assert.Equal(
            (TimeSpan.FromMilliseconds(500), 10, 1),
            (config.Udp.IdleTimeout, config.Udp.MaxFlows, config.Udp.EarlyQueue));
        Assert.Equal(BellowsConfig.Default.Udp.PortIdleTimeouts, config.Udp.PortIdleTimeouts);
    }

    [Fact]
    public void Parse_PortIdleTimeouts_ReplacesTheDefaultMap()
    {
        var config = ConfigText.Valid("{ \"udp\": { \"port_idle_timeouts\": { \"443\": 30, \"65535\": 0.25, \"1\": 2147483 } } }");

        Assert.Equal(
            new Dictionary<int, TimeSpan>
            {
                [443] = TimeSpan.FromSeconds(30),
                [65535] = TimeSpan.FromMilliseconds(250),
                [1] = TimeSpan.FromSeconds(2147483),
            },
            config.Udp.PortIdleTimeouts);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Udp.IdleTimeoutFor(53));
    }

    [Fact]
    public void Parse_EmptyPortIdleTimeouts_LeavesNoPortOverride()
    {
        var config = ConfigText.Valid(ConfigText.Section("udp", "port_idle_timeouts", "{}"));

        Assert.Empty(config.Udp.PortIdleTimeouts);
        Assert.Equal(config.Udp.IdleTimeout, config.Udp.IdleTimeoutFor(53));
    }

    [Theory]
    [InlineData("dns")]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("99999999999")]
    [InlineData("-53")]
    [InlineData("+53")]
    [InlineData("053")]
    [InlineData(" 53")]
    [InlineData("53.0")]
    [InlineData("5e1")]
    [InlineData("0x35")]
    public void Parse_PortIdleTimeoutsKeyNotAPort_ReportsTheKey(string key)
    {
        var text = $"{{\n  \"udp\": {{\n    \"port_idle_timeouts\": {{\n      \"{key}\": 5\n    }}\n  }}\n}}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 7, $"udp.port_idle_timeouts.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{key}' is not a port; expected a decimal port number 1..65535 as the key", error.Message);
    }

    [Theory]
    [InlineData("-5", "-5 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("0", "0 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("2147484", "2147484 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("\"5s\"", "expected a number of seconds, found a string")]
    [InlineData("null", "expected a number of seconds, found null")]
    public void Parse_PortIdleTimeoutsBadSeconds_ReportsTheValue(string value, string message)
    {
        var text = $"{{\n  \"udp\": {{\n    \"port_idle_timeouts\": {{\n      \"53\": {value}\n    }}\n  }}\n}}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 13, "udp.port_idle_timeouts.53"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_PortIdleTimeoutsSeveralBadEntries_ReportsEach()
    {
        const string text = """
            { "udp": { "port_idle_timeouts": {
                "53": 5,
                "ntp": 1,
                "123": -1,
                "70000": 2 } } }
            """;

        var result = ConfigText.Parse(text);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                (3, "udp.port_idle_timeouts.ntp"),
                (4, "udp.port_idle_timeouts.123"),
                (5, "udp.port_idle_timeouts.70000"),
            ],
            result.Errors.Select(e => (e.Line, e.Key)));
    }

    [Fact]
    public void Parse_Nameservers_AreKeptAsWrittenInOrder()
    {
        var config = ConfigText.Valid("{ \"dns\": { \"nameservers\": [\"10.0.0.53\", \"::1\", \"fe80::1%1\", \"192.168.1.1\"] } }");

        Assert.Equal(["10.0.0.53", "::1", "fe80::1%1", "192.168.1.1"], config.Dns.Nameservers);
    }

    [Theory]
    [InlineData("round-robin", DnsSelection.RoundRobin)]
    [InlineData("first-alive", DnsSelection.FirstAlive)]
    public void Parse_DnsSelection_IsBound(string value, DnsSelection expected)
    {
        var config = ConfigText.Valid(ConfigText.Section("dns", "selection", $"\"{value}\""));

        Assert.Equal(expected, config.Dns.Selection);
    }

    [Fact]
    public void Parse_EmptyNameservers_IsAccepted()
    {
        var config = ConfigText.Valid(ConfigText.Section("dns", "nameservers", "[]"));

        Assert.Empty(config.Dns.Nameservers);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("dns.example")]
    [InlineData("10.0.0.256")]
    [InlineData("127.1")]
    [InlineData("80")]
    [InlineData("010.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:53")]
    [InlineData("1.2.3.4:53")]
    [InlineData(" 10.0.0.1")]
    [InlineData("")]
    public void Parse_NameserverNotAnIpLiteral_ReportsTheElement(string address)
    {
        var error = ConfigText.SingleError(ConfigText.Section("dns", "nameservers", $"[\"10.0.0.53\", \"{address}\"]"));

        Assert.Equal((3, 34, "dns.nameservers[1]"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{address}' is not an IP address; write an IPv4 address as a.b.c.d and IPv6 without brackets", error.Message);
    }

    [Fact]
    public void Parse_NameserverScopedToUnknownInterface_ReportsTheScope()
    {
        var error = ConfigText.SingleError(ConfigText.Section("dns", "nameservers", "[\"fe80::1%no-such-if0\"]"));

        Assert.Equal((3, 21, "dns.nameservers[0]"), (error.Line, error.Column, error.Key));
        Assert.Equal("'fe80::1%no-such-if0' is not an IPv6 address with the scope of an existing interface", error.Message);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Parse_WildcardNameserver_ReportsIt(string address)
    {
        var error = ConfigText.SingleError(ConfigText.Section("dns", "nameservers", $"[\"{address}\"]"));

        Assert.Equal((3, 21, "dns.nameservers[0]"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{address}' is the wildcard address, not a nameserver; write the nameserver's own address", error.Message);
    }

    [Fact]
    public void Parse_NameserversSeveralBadElements_ReportsEach()
    {
        var result = ConfigText.Parse(ConfigText.Section("dns", "nameservers", "[53, \"10.0.0.1\", \"localhost\", null]"));

        Assert.Null(result.Config);
        Assert.Equal(
            [
                ("dns.nameservers[0]", "expected a string, found a number"),
                ("dns.nameservers[2]", "'localhost' is not an IP address; write an IPv4 address as a.b.c.d and IPv6 without brackets"),
                ("dns.nameservers[3]", "expected a string, found null"),
            ],
            result.Errors.Select(e => (e.Key, e.Message)));
    }

    [Fact]
    public void Parse_UdpQuickPortsAtTopLevel_IsAcceptedWithOneWarning()
    {
        var result = ConfigText.Parse("{\n  \"udp_quick_ports\": [53, 123],\n  \"udp\": { \"max_flows\": 7 }\n}");

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(7, result.Config.Udp.MaxFlows);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((2, 3, "udp_quick_ports"), (warning.Line, warning.Column, warning.Key));
        Assert.Equal(QuickPortsWarning, warning.Message);
    }

    [Fact]
    public void Parse_UdpQuickPortsInsideUdp_IsAcceptedWithOneWarning()
    {
        var result = ConfigText.Parse(ConfigText.Section("udp", "udp_quick_ports", "[53]"));

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(BellowsConfig.Default, result.Config);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((3, 5, "udp.udp_quick_ports"), (warning.Line, warning.Column, warning.Key));
        Assert.Equal(QuickPortsWarning, warning.Message);
    }

    [Fact]
    public void Parse_UdpQuickPortsInBothPlaces_GivesOneWarningEach()
    {
        var result = ConfigText.Parse("{\n  \"udp_quick_ports\": [],\n  \"udp\": {\n    \"udp_quick_ports\": []\n  }\n}");

        Assert.Empty(result.Errors);
        Assert.Equal([(2, "udp_quick_ports"), (4, "udp.udp_quick_ports")], result.Warnings.Select(w => (w.Line, w.Key)));
    }

    [Fact]
    public void Parse_UdpQuickPortsInAnotherSection_IsAnUnknownKey()
    {
        var error = ConfigText.SingleError(ConfigText.Section("relay", "udp_quick_ports", "[53]"));

        Assert.Equal("relay.udp_quick_ports", error.Key);
    }

    [Fact]
    public void Parse_TcpAndUdpListenersOnOnePort_DoNotClash()
    {
        const string text = """
            { "listeners": [
                { "name": "tcp", "mode": "tproxy", "port": 7 },
                { "name": "udp", "mode": "tproxy", "protocol": "udp", "port": 7 },
                { "name": "tcp-r", "mode": "redirect", "port": 8 },
                { "name": "udp-r", "mode": "redirect", "protocol": "udp", "port": 8 } ],
              "dns": { "nameservers": ["10.0.0.53"] } }
            """;

        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
        Assert.Equal(
            [ListenerProtocol.Tcp, ListenerProtocol.Udp, ListenerProtocol.Tcp, ListenerProtocol.Udp],
            result.Config.Listeners.Select(l => l.Protocol));
    }

    [Fact]
    public void Parse_TwoUdpListenersOnOnePort_ReportsTheLaterPort()
    {
        const string text = """
            { "listeners": [
                { "name": "one", "mode": "tproxy", "protocol": "udp", "port": 7 },
                { "name": "two", "mode": "tproxy", "protocol": "udp",
                  "port": 7 } ] }
            """;

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 15, "listeners[1].port"), (error.Line, error.Column, error.Key));
        Assert.Equal("port 7 on 0.0.0.0 overlaps listener 'one' (listeners[0]) on 0.0.0.0", error.Message);
    }

    [Fact]
    public void Parse_TwoUdpListenersOnOnePortDisjointAddresses_IsAccepted()
    {
        const string text = """
            { "listeners": [
                { "name": "one", "mode": "tproxy", "protocol": "udp", "port": 7, "addresses": ["10.0.0.1"] },
                { "name": "two", "mode": "tproxy", "protocol": "udp", "port": 7, "addresses": ["10.0.0.2", "::"] } ] }
            """;

        Assert.Equal(2, ConfigText.Valid(text).Listeners.Count);
    }

    [Fact]
    public void Parse_UdpRedirectListenerWithoutNameservers_WarnsAtItsProtocol()
    {
        const string text = """
            { "listeners": [
                { "name": "tcp", "mode": "tproxy", "port": 7 },
                { "name": "dns", "mode": "redirect",
                  "protocol": "udp", "port": 53 } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((4, 19, "listeners[1].protocol"), (warning.Line, warning.Column, warning.Key));
        Assert.Equal(
            "listener 'dns' redirects DNS to dns.nameservers, which is empty; every query it receives will be dropped",
            warning.Message);
    }

    [Fact]
    public void Parse_UdpRedirectListenerAfterABadElement_WarnsAtTheRightIndex()
    {
        const string text = """
            { "listeners": [ 42,
                { "name": "dns", "mode": "redirect", "protocol": "udp", "port": 53 } ],
              "dns": { "nameservers": [] } }
            """;

        var result = ConfigText.Parse(text);

        Assert.Equal("listeners[0]", Assert.Single(result.Errors).Key);
        Assert.Equal("listeners[1].protocol", Assert.Single(result.Warnings).Key);
    }

    [Theory]
    [InlineData("\"mode\": \"redirect\", \"protocol\": \"udp\", \"enabled\": false")]
    [InlineData("\"mode\": \"tproxy\", \"protocol\": \"udp\"")]
    [InlineData("\"mode\": \"redirect\", \"protocol\": \"tcp\"")]
    public void Parse_NoNameserversAndNoEnabledUdpRedirectListener_DoesNotWarn(string listener)
    {
        var text = $$"""
            { "listeners": [
                { "name": "tcp", "mode": "tproxy", "port": 7 },
                { "name": "x", "port": 53, {{listener}} } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Parse_UdpRedirectListenerWithNameservers_DoesNotWarn()
    {
        const string text = """
            { "dns": { "nameservers": ["10.0.0.53"] },
              "listeners": [ { "name": "dns", "mode": "redirect", "protocol": "udp", "port": 53 } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Parse_UdpRedirectListenerWithBadNameserver_ReportsOnlyTheError()
    {
        const string text = """
            { "dns": { "nameservers": ["localhost"] },
              "listeners": [ { "name": "dns", "mode": "redirect", "protocol": "udp", "port": 53 } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.Equal("dns.nameservers[0]", Assert.Single(result.Errors).Key);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("{ \"dns\": { \"selection\": \"first-alive\" } }")]
    [InlineData("{ \"dns\": { \"nameservers\": [] } }")]
    [InlineData("{ \"listeners\": [ { \"name\": \"redir-dns\", \"mode\": \"redirect\", \"protocol\": \"udp\", \"port\": 51053 } ] }")]
    public void Parse_BuiltInRedirDnsListenerWithoutNameservers_DoesNotWarn(string text)
    {
        // The defaults have redir-dns and no nameservers; they must load quietly, as the shipped example does.
        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("\"port\": 51053, \"acceptors\": 1")]
    [InlineData("\"port\": 51054")]
    public void Parse_RedirDnsListenerChangedWithoutNameservers_Warns(string rest)
    {
        var text = $$"""
            { "listeners": [
                { "name": "redir-dns", "mode": "redirect", "protocol": "udp", {{rest}} } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((2, 60, "listeners[0].protocol"), (warning.Line, warning.Column, warning.Key));
        Assert.Equal(
            "listener 'redir-dns' redirects DNS to dns.nameservers, which is empty; every query it receives will be dropped",
            warning.Message);
    }
}
