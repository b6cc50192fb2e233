// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Theory]
    [InlineData("relay", "buffer_size", "\"64k\"", "expected an integer, found a string")]
    [InlineData("relay", "buffer_size", "65536.5", "expected an integer, found 65536.5")]
    [InlineData("relay", "no_delay", "1", "expected true or false, found a number")]
    [InlineData("relay", "connect_timeout", "\"7s\"", "expected a number of seconds, found a string")]
    [InlineData("relay", "nat", "false", "expected one of auto, none, found a boolean")]
    [InlineData("udp", "idle_timeout", "\"120s\"", "expected a number of seconds, found a string")]
    [InlineData("udp", "port_idle_timeouts", "[53]", "expected an object, found an array")]
    [InlineData("udp", "max_flows", "true", "expected an integer, found a boolean")]
    [InlineData("udp", "early_queue", "\"64\"", "expected an integer, found a string")]
    [InlineData("udp", "early_queue", "6.5", "expected an integer, found 6.5")]
    [InlineData("dns", "nameservers", "\"10.0.0.53\"", "expected an array, found a string")]
    [InlineData("dns", "selection", "1", "expected one of round-robin, first-alive, found a number")]
    [InlineData("limits", "max_sessions", "[100]", "expected an integer, found an array")]
    [InlineData("logging", "level", "3", "expected one of trace, debug, information, warning, error, critical, none, found a number")]
    [InlineData("management", "socket", "null", "expected a string, found null")]
    [InlineData("shutdown", "drain", "{}", "expected a number of seconds, found an object")]
    public void Parse_WrongType_ReportsExpectedAndFound(string section, string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Section(section, key, value));

        Assert.Equal((3, key.Length + 9, $"{section}.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("{ \"relay\": \"fast\" }", "relay", "expected an object, found a string")]
    [InlineData("{ \"listeners\": {} }", "listeners", "expected an array, found an object")]
    [InlineData("{ \"listeners\": [42] }", "listeners[0]", "expected an object, found a number")]
    [InlineData("{ \"listeners\": [{ \"name\": \"a\", \"mode\": \"tproxy\", \"port\": \"80\" }] }", "listeners[0].port", "expected an integer, found a string")]
    [InlineData("{ \"listeners\": [{ \"name\": \"a\", \"mode\": \"tproxy\", \"port\": 80, \"addresses\": \"::\" }] }", "listeners[0].addresses", "expected an array, found a string")]
    [InlineData("{ \"listeners\": [{ \"name\": \"a\", \"mode\": \"tproxy\", \"port\": 80, \"addresses\": [1] }] }", "listeners[0].addresses[0]", "expected a string, found a number")]
    public void Parse_WrongStructure_ReportsExpectedAndFound(string text, string key, string message)
    {
        var error = ConfigText.SingleError(text);

        Assert.Equal((key, message), (error.Key, error.Message));
    }

    [Theory]
    [InlineData("relay", "buffer_size", "2048", "2048 is out of range; expected 4096..1048576")]
    [InlineData("relay", "buffer_size", "2097152", "2097152 is out of range; expected 4096..1048576")]
    [InlineData("relay", "upstream_mark", "-1", "-1 is out of range; expected 0..2147483647")]
    [InlineData("relay", "upstream_mark", "2147483648", "2147483648 is out of range; expected 0..2147483647")]
    [InlineData("relay", "connect_timeout", "0", "0 is out of range; expected more than 0 and at most 600 seconds")]
    [InlineData("relay", "connect_timeout", "600.5", "600.5 is out of range; expected more than 0 and at most 600 seconds")]
    [InlineData("relay", "idle_timeout", "-5", "-5 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("relay", "idle_timeout", "1e400", "1e400 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("udp", "idle_timeout", "0", "0 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("udp", "idle_timeout", "-1", "-1 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("udp", "idle_timeout", "2147484", "2147484 is out of range; expected more than 0 and at most 2147483 seconds")]
    [InlineData("udp", "max_flows", "0", "0 is out of range; expected 1..1000000")]
    [InlineData("udp", "max_flows", "1000001", "1000001 is out of range; expected 1..1000000")]
    [InlineData("udp", "early_queue", "0", "0 is out of range; expected 1..1024")]
    [InlineData("udp", "early_queue", "1025", "1025 is out of range; expected 1..1024")]
    [InlineData("limits", "max_sessions", "1000001", "1000001 is out of range; expected 0..1000000")]
    [InlineData("limits", "handoff_queue", "0", "0 is out of range; expected 1..65536")]
    [InlineData("limits", "handoff_queue", "65537", "65537 is out of range; expected 1..65536")]
    [InlineData("limits", "fd_reserve", "15", "15 is out of range; expected 16..4096")]
    [InlineData("limits", "fd_reserve", "4097", "4097 is out of range; expected 16..4096")]
    [InlineData("shutdown", "drain", "-0.5", "-0.5 is out of range; expected at least 0 and at most 600 seconds")]
    [InlineData("shutdown", "drain", "601", "601 is out of range; expected at least 0 and at most 600 seconds")]
    public void Parse_SectionValueOutOfRange_ReportsTheRange(string section, string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Section(section, key, value));

        Assert.Equal((3, key.Length + 9, $"{section}.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("port", "0", "0 is out of range; expected 1..65535")]
    [InlineData("port", "65536", "65536 is out of range; expected 1..65535")]
    [InlineData("acceptors", "-1", "-1 is out of range; expected 0..256")]
    [InlineData("acceptors", "257", "257 is out of range; expected 0..256")]
    [InlineData("workers", "1000", "1000 is out of range; expected 0..256")]
    [InlineData("backlog", "0", "0 is out of range; expected 1..65535")]
    [InlineData("backlog", "99999999999999999999", "99999999999999999999 is out of range; expected 1..65535")]
    public void Parse_ListenerValueOutOfRange_ReportsTheRange(string key, string value, string message)
    {
        // "port" is also set by the helper; the repeated key is reported, so use a listener written out here.
        var text = key == "port"
            ? $"{{\n  \"listeners\": [\n    {{ \"name\": \"a\", \"mode\": \"tproxy\",\n      \"port\": {value} }}\n  ]\n}}"
            : ConfigText.Listener(key, value);

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, key.Length + 11, $"listeners[0].{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("relay", "buffer_size", "4096")]
    [InlineData("relay", "buffer_size", "1048576")]
    [InlineData("relay", "upstream_mark", "2147483647")]
    [InlineData("relay", "connect_timeout", "0.001")]
    [InlineData("relay", "connect_timeout", "600")]
    [InlineData("relay", "idle_timeout", "2147483")]
    [InlineData("udp", "idle_timeout", "0.001")]
    [InlineData("udp", "idle_timeout", "2147483")]
    [InlineData("udp", "max_flows", "1")]
    [InlineData("udp", "max_flows", "1000000")]
    [InlineData("udp", "early_queue", "1")]
    [InlineData("udp", "early_queue", "1024")]
    [InlineData("limits", "max_sessions", "0")]
    [InlineData("limits", "max_sessions", "1000000")]
    [InlineData("limits", "handoff_queue", "65536")]
    [InlineData("limits", "fd_reserve", "16")]
    [InlineData("shutdown", "drain", "0")]
    [InlineData("shutdown", "drain", "600")]
    public void Parse_ValueOnRangeBoundary_IsAccepted(string section, string key, string value)
    {
        ConfigText.Valid(ConfigText.Section(section, key, value));
    }

    [Theory]
    [InlineData("1e3", 1000)]
    [InlineData("70.0", 70)]
    public void Parse_IntegerWrittenWithExponentOrFraction_IsAccepted(string value, int expected)
    {
        var config = ConfigText.Valid(ConfigText.Section("limits", "max_sessions", value));

        Assert.Equal(expected, config.Limits.MaxSessions);
    }

    [Theory]
    [InlineData("relay", "nat", "\"masquerade\"", "invalid value 'masquerade'; expected one of auto, none")]
    [InlineData("dns", "selection", "\"random\"", "invalid value 'random'; expected one of round-robin, first-alive")]
    [InlineData("dns", "selection", "\"round_robin\"", "invalid value 'round_robin'; expected one of round-robin, first-alive")]
    [InlineData("dns", "selection", "\"First-Alive\"", "invalid value 'First-Alive'; expected one of round-robin, first-alive")]
    [InlineData("logging", "level", "\"verbose\"", "invalid value 'verbose'; expected one of trace, debug, information, warning, error, critical, none")]
    [InlineData("logging", "format", "\"xml\"", "invalid value 'xml'; expected one of text, json")]
    [InlineData("logging", "format", "\"JSON\"", "invalid value 'JSON'; expected one of text, json")]
    public void Parse_BadSectionEnumValue_ListsTheAllowedValues(string section, string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Section(section, key, value));

        Assert.Equal((3, $"{section}.{key}"), (error.Line, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("mode", "\"transparent\"", "invalid value 'transparent'; expected one of tproxy, redirect")]
    [InlineData("mode", "\"TPROXY\"", "invalid value 'TPROXY'; expected one of tproxy, redirect")]
    [InlineData("protocol", "\"sctp\"", "invalid value 'sctp'; expected one of tcp, udp")]
    [InlineData("protocol", "\"UDP\"", "invalid value 'UDP'; expected one of tcp, udp")]
    [InlineData("acceptor_mode", "\"reuse_port\"", "invalid value 'reuse_port'; expected one of reuseport, shared")]
    [InlineData("nat", "\"snat\"", "invalid value 'snat'; expected one of auto, none")]
    public void Parse_BadListenerEnumValue_ListsTheAllowedValues(string key, string value, string message)
    {
        // "mode" is also set by the helper; write that listener out.
        var text = key == "mode"
            ? $"{{\n  \"listeners\": [\n    {{ \"name\": \"a\", \"port\": 1000,\n      \"mode\": {value} }}\n  ]\n}}"
            : ConfigText.Listener(key, value);

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, key.Length + 11, $"listeners[0].{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Warning", "warning")]
    [InlineData("TRACE", "trace")]
    [InlineData("none", "none")]
    public void Parse_LogLevel_IsCaseInsensitiveAndStoredLowerCase(string value, string expected)
    {
        var config = ConfigText.Valid(ConfigText.Section("logging", "level", $"\"{value}\""));

        Assert.Equal(expected, config.Logging.Level);
    }

    [Theory]
    [InlineData("\"auto\"", NatMode.Auto)]
    [InlineData("\"none\"", NatMode.None)]
    [InlineData("null", null)]
    public void Parse_ListenerNat_BindsOverrideOrNull(string value, NatMode? expected)
    {
        var config = ConfigText.Valid(ConfigText.Listener("nat", value));

        Assert.Equal(expected, config.Listeners.Single().Nat);
    }

    [Theory]
    [InlineData("4097")]
    [InlineData("65535")]
    [InlineData("100000")]
    public void Parse_BufferSizeNotPowerOfTwo_ReportsIt(string value)
    {
        var error = ConfigText.SingleError(ConfigText.Section("relay", "buffer_size", value));

        Assert.Equal((3, 20, "relay.buffer_size"), (error.Line, error.Column, error.Key));
        Assert.Equal($"{value} is not a power of two (such as 16384, 65536, 131072)", error.Message);
    }

    [Fact]
    public void Parse_FractionalSeconds_KeepTheFraction()
    {
        var config = ConfigText.Valid("{ \"relay\": { \"connect_timeout\": 0.25, \"idle_timeout\": 90.5 } }");

        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Relay.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(90_500), config.Relay.IdleTimeout);
    }

    [Theory]
    [InlineData("run/bellows.sock")]
    [InlineData("./bellows.sock")]
    [InlineData("~/bellows.sock")]
    public void Parse_RelativeManagementSocket_ReportsIt(string path)
    {
        var error = ConfigText.SingleError(ConfigText.Section("management", "socket", $"\"{path}\""));

        Assert.Equal((3, 15, "management.socket"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{path}' is not an absolute path; use a path that starts with '/', or \"\" to disable", error.Message);
    }

    [Fact]
    public void Parse_ManagementSocketTooLong_ReportsIt()
    {
        var path = "/run/" + new string('b', 103);

        var error = ConfigText.SingleError(ConfigText.Section("management", "socket", $"\"{path}\""));

        Assert.Equal("the path is longer than 107 bytes, the limit for a Unix socket", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/tmp/b.sock")]
    public void Parse_ManagementSocketEmptyOrAbsolute_IsAccepted(string path)
    {
        var config = ConfigText.Valid(ConfigText.Section("management", "socket", $"\"{path}\""));

        Assert.Equal(path, config.Management.Socket);
    }
}
