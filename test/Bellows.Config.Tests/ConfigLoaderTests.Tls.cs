// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Fact]
    public void Parse_TlsSectionEmpty_KeepsTheDefaults()
    {
        var config = ConfigText.Valid("{ \"tls\": { \"profile\": {} } }");

        Assert.Equal(BellowsConfig.Default, config);
    }

    [Fact]
    public void Parse_TlsScalars_AreBoundAndTheRestKeepDefaults()
    {
        var config = ConfigText.Valid("{ \"tls\": { \"hello_timeout\": 0.25, \"cache_size\": 16, \"key_log\": \"keys.log\", \"revocation_cache_time\": 0, \"verdict_cache_time\": 30 } }");

        Assert.Equal(BellowsConfig.Default.Tls with
        {
            HelloTimeout = TimeSpan.FromMilliseconds(250),
            CacheSize = 16,
            KeyLog = "keys.log",
            RevocationCacheTime = TimeSpan.Zero,
            VerdictCacheTime = TimeSpan.FromSeconds(30),
        }, config.Tls);
    }

    [Fact]
    public void Parse_TlsProfileOneKey_KeepsTheOtherProfileDefaults()
    {
        var config = ConfigText.Valid(ConfigText.Profile("allow_self_signed", "true"));

        Assert.Equal(BellowsConfig.Default.Tls.Profile with { AllowSelfSigned = true }, config.Tls.Profile);
        Assert.Equal(BellowsConfig.Default.Tls with { Profile = config.Tls.Profile }, config.Tls);
    }

    [Theory]
    [InlineData("certs_dir")]
    [InlineData("trust_bundle")]
    [InlineData("extra_trust")]
    [InlineData("key_log")]
    public void Parse_OptionalTlsPath_AcceptsNull(string key)
    {
        var config = ConfigText.Valid(ConfigText.Section("tls", key, "null"));

        Assert.Equal(BellowsConfig.Default.Tls, config.Tls);
    }

    [Theory]
    [InlineData("ca_dir", "\"\"", "expected a path, found an empty string")]
    [InlineData("certs_dir", "\"\"", "expected a path, found an empty string")]
    [InlineData("trust_bundle", "\"\"", "expected a path, found an empty string")]
    [InlineData("key_log", "\"\"", "expected a path, found an empty string")]
    [InlineData("key_log", "\"a\\u0000b\"", "a path cannot contain a NUL character")]
    [InlineData("ca_dir", "null", "expected a string, found null")]
    [InlineData("certs_dir", "5", "expected a string, found a number")]
    [InlineData("trust_bundle", "[]", "expected a string, found an array")]
    [InlineData("extra_trust", "\"\"", "expected a path, found an empty string")]
    [InlineData("hello_timeout", "\"3s\"", "expected a number of seconds, found a string")]
    [InlineData("handshake_timeout", "null", "expected a number of seconds, found null")]
    [InlineData("cache_size", "100.5", "expected an integer, found 100.5")]
    [InlineData("revocation_cache_time", "\"5m\"", "expected a number of seconds, found a string")]
    [InlineData("profile", "\"inspect\"", "expected an object, found a string")]
    public void Parse_BadTlsValue_ReportsIt(string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Section("tls", key, value));

        Assert.Equal((3, key.Length + 9, $"tls.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("hello_timeout", "0", "0 is out of range; expected more than 0 and at most 60 seconds")]
    [InlineData("hello_timeout", "-1", "-1 is out of range; expected more than 0 and at most 60 seconds")]
    [InlineData("hello_timeout", "60.5", "60.5 is out of range; expected more than 0 and at most 60 seconds")]
    [InlineData("handshake_timeout", "0", "0 is out of range; expected more than 0 and at most 120 seconds")]
    [InlineData("handshake_timeout", "121", "121 is out of range; expected more than 0 and at most 120 seconds")]
    [InlineData("cache_size", "15", "15 is out of range; expected 16..1000000")]
    [InlineData("cache_size", "1000001", "1000001 is out of range; expected 16..1000000")]
    [InlineData("revocation_cache_time", "-1", "-1 is out of range; expected at least 0 and at most 86400 seconds")]
    [InlineData("revocation_cache_time", "86401", "86401 is out of range; expected at least 0 and at most 86400 seconds")]
    [InlineData("verdict_cache_time", "-1", "-1 is out of range; expected at least 0 and at most 86400 seconds")]
    [InlineData("verdict_cache_time", "true", "expected a number of seconds, found a boolean")]
    public void Parse_TlsValueOutOfRange_ReportsTheRange(string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Section("tls", key, value));

        Assert.Equal((3, key.Length + 9, $"tls.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("override_duration", "0", "0 is out of range; expected at least 1 and at most 2592000 seconds")]
    [InlineData("override_duration", "0.5", "0.5 is out of range; expected at least 1 and at most 2592000 seconds")]
    [InlineData("override_duration", "2592001", "2592001 is out of range; expected at least 1 and at most 2592000 seconds")]
    [InlineData("override_duration", "\"10m\"", "expected a number of seconds, found a string")]
    [InlineData("allow_untrusted_issuers", "1", "expected true or false, found a number")]
    [InlineData("allow_self_signed", "\"yes\"", "expected true or false, found a string")]
    [InlineData("allow_invalid_certs", "null", "expected true or false, found null")]
    [InlineData("bypass_sni", "\"bank.example\"", "expected an array, found a string")]
    [InlineData("mode", "\"intercept\"", "invalid value 'intercept'; expected one of inspect, bypass")]
    [InlineData("mode", "\"Inspect\"", "invalid value 'Inspect'; expected one of inspect, bypass")]
    [InlineData("on_failure", "\"allow\"", "invalid value 'allow'; expected one of block, warn")]
    [InlineData("override_scope", "\"client_server\"", "invalid value 'client_server'; expected one of client-server, certificate")]
    [InlineData("revocation", "\"soft\"", "invalid value 'soft'; expected one of off, soft-fail, hard-fail")]
    [InlineData("revocation", "false", "expected one of off, soft-fail, hard-fail, found a boolean")]
    [InlineData("non_tls", "\"reset\"", "invalid value 'reset'; expected one of relay, drop")]
    public void Parse_BadTlsProfileValue_ReportsIt(string key, string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Profile(key, value));

        Assert.Equal((4, key.Length + 11, $"tls.profile.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("tls", "hello_timeout", "0.001")]
    [InlineData("tls", "hello_timeout", "60")]
    [InlineData("tls", "handshake_timeout", "0.001")]
    [InlineData("tls", "handshake_timeout", "120")]
    [InlineData("tls", "cache_size", "16")]
    [InlineData("tls", "cache_size", "1000000")]
    [InlineData("tls", "ca_dir", "\"ca\"")]
    [InlineData("tls.profile", "override_duration", "1")]
    [InlineData("tls.profile", "override_duration", "2592000")]
    public void Parse_TlsValueOnRangeBoundary_IsAccepted(string section, string key, string value)
    {
        ConfigText.Valid(section == "tls" ? ConfigText.Section("tls", key, value) : ConfigText.Profile(key, value));
    }

    [Theory]
    [InlineData("mode", "inspect", TlsInspectionMode.Inspect)]
    [InlineData("mode", "bypass", TlsInspectionMode.Bypass)]
    [InlineData("on_failure", "block", TlsFailureAction.Block)]
    [InlineData("on_failure", "warn", TlsFailureAction.Warn)]
    [InlineData("override_scope", "client-server", TlsOverrideScope.ClientServer)]
    [InlineData("override_scope", "certificate", TlsOverrideScope.Certificate)]
    [InlineData("revocation", "off", TlsRevocationMode.Off)]
    [InlineData("revocation", "soft-fail", TlsRevocationMode.SoftFail)]
    [InlineData("revocation", "hard-fail", TlsRevocationMode.HardFail)]
    [InlineData("non_tls", "relay", NonTlsAction.Relay)]
    [InlineData("non_tls", "drop", NonTlsAction.Drop)]
    public void Parse_TlsProfileChoice_IsBound(string key, string value, object expected)
    {
        var profile = ConfigText.Valid(ConfigText.Profile(key, $"\"{value}\"")).Tls.Profile;

        object actual = key switch
        {
            "mode" => profile.Mode,
            "on_failure" => profile.OnFailure,
            "override_scope" => profile.OverrideScope,
            "revocation" => profile.Revocation,
            _ => profile.NonTls,
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("off", TlsListenerMode.Off)]
    [InlineData("detect", TlsListenerMode.Detect)]
    [InlineData("always", TlsListenerMode.Always)]
    public void Parse_ListenerTls_IsBound(string value, TlsListenerMode expected)
    {
        var config = ConfigText.Valid(ConfigText.Listener("tls", $"\"{value}\""));

        Assert.Equal(expected, config.Listeners.Single().Tls);
    }

    [Fact]
    public void Parse_ListenerWithoutTls_IsOff()
    {
        var config = ConfigText.Valid("{ \"listeners\": [ { \"name\": \"a\", \"mode\": \"tproxy\", \"port\": 443 } ] }");

        Assert.Equal(TlsListenerMode.Off, config.Listeners.Single().Tls);
    }

    [Theory]
    [InlineData("\"on\"", "invalid value 'on'; expected one of off, detect, always")]
    [InlineData("\"Detect\"", "invalid value 'Detect'; expected one of off, detect, always")]
    [InlineData("true", "expected one of off, detect, always, found a boolean")]
    [InlineData("null", "expected one of off, detect, always, found null")]
    public void Parse_BadListenerTls_ListsTheAllowedValues(string value, string message)
    {
        var error = ConfigText.SingleError(ConfigText.Listener("tls", value));

        Assert.Equal((4, 14, "listeners[0].tls"), (error.Line, error.Column, error.Key));
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("\"protocol\": \"udp\", \"tls\": \"detect\"", "detect", 33)]
    [InlineData("\"tls\": \"always\", \"protocol\": \"udp\"", "always", 14)]
    [InlineData("\"protocol\": \"udp\", \"enabled\": false, \"tls\": \"always\"", "always", 51)]
    public void Parse_UdpListenerWithTls_ReportsTheTlsKey(string rest, string mode, int column)
    {
        var text = $$"""
            { "listeners": [
                { "name": "tcp", "mode": "tproxy", "port": 7 },
                { "name": "u", "mode": "tproxy", "port": 7,
                  {{rest}} } ] }
            """;

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, column, "listeners[1].tls"), (error.Line, error.Column, error.Key));
        Assert.Equal($"\"tls\": \"{mode}\" needs a TCP listener, and this one is UDP; remove \"tls\" or set it to \"off\"", error.Message);
    }

    [Fact]
    public void Parse_UdpListenerWithTlsOff_IsAccepted()
    {
        var config = ConfigText.Valid("{ \"listeners\": [ { \"name\": \"u\", \"mode\": \"tproxy\", \"protocol\": \"udp\", \"port\": 7, \"tls\": \"off\" } ] }");

        Assert.Equal(TlsListenerMode.Off, config.Listeners.Single().Tls);
    }

    [Fact]
    public void Parse_BypassSni_IsLowerCasedInOrder()
    {
        var config = ConfigText.Valid(ConfigText.Profile("bypass_sni", "[\"Bank.EXAMPLE\", \"*.Health.example\", \"localhost\", \"xn--bcher-kva.example\", \"a-1.b2\"]"));

        Assert.Equal(["bank.example", "*.health.example", "localhost", "xn--bcher-kva.example", "a-1.b2"], config.Tls.Profile.BypassSni);
    }

    [Fact]
    public void Parse_BypassSniEmpty_IsAccepted()
    {
        Assert.Empty(ConfigText.Valid(ConfigText.Profile("bypass_sni", "[]")).Tls.Profile.BypassSni);
    }

    [Fact]
    public void Parse_BypassSniLongestLabelAndName_AreAccepted()
    {
        var label = new string('a', 63);
        var name = $"{label}.{label}.{label}.{new string('d', 61)}";
        Assert.Equal(253, name.Length);

        var config = ConfigText.Valid(ConfigText.Profile("bypass_sni", $"[\"{label}.example\", \"{name}\", \"*.{name}\"]"));

        Assert.Equal(3, config.Tls.Profile.BypassSni.Count);
    }

    [Theory]
    [InlineData("", "the name is empty")]
    [InlineData("*.", "the name is empty")]
    [InlineData("bank..example", "a label is empty (two dots in a row, or a dot at the start or end)")]
    [InlineData(".bank.example", "a label is empty (two dots in a row, or a dot at the start or end)")]
    [InlineData("bank.example.", "a label is empty (two dots in a row, or a dot at the start or end)")]
    [InlineData("bank_example", "'_' is not allowed; a label holds only letters, digits and '-'")]
    [InlineData("bank example", "' ' is not allowed; a label holds only letters, digits and '-'")]
    [InlineData("bänk.example", "'ä' is not allowed; a label holds only letters, digits and '-'")]
    [InlineData("10.0.0.1:443", "':' is not allowed; a label holds only letters, digits and '-'")]
    [InlineData("*", "a wildcard is allowed only as the whole first label, as in \"*.bank.example\"")]
    [InlineData("*bank.example", "a wildcard is allowed only as the whole first label, as in \"*.bank.example\"")]
    [InlineData("www.*.example", "a wildcard is allowed only as the whole first label, as in \"*.bank.example\"")]
    [InlineData("*.*.example", "a wildcard is allowed only as the whole first label, as in \"*.bank.example\"")]
    public void Parse_BypassSniBadName_ReportsTheEntryByIndex(string name, string problem)
    {
        var error = ConfigText.SingleError(ConfigText.Profile("bypass_sni", $"[\"ok.example\", \"{name}\"]"));

        Assert.Equal((4, 36, "tls.profile.bypass_sni[1]"), (error.Line, error.Column, error.Key));
        Assert.Equal($"'{name}' is not a server name: {problem}; write a DNS name such as \"bank.example\" or \"*.bank.example\"", error.Message);
    }

    [Fact]
    public void Parse_BypassSniTooLong_ReportsTheLimits()
    {
        var label = new string('a', 64);
        var name = $"{new string('a', 63)}.{new string('b', 63)}.{new string('c', 63)}.{new string('d', 62)}";

        var result = ConfigText.Parse(ConfigText.Profile("bypass_sni", $"[\"{label}.example\", \"{name}\"]"));

        Assert.Null(result.Config);
        Assert.Equal(
            [
                ("tls.profile.bypass_sni[0]", $"'{label}.example' is not a server name: the label '{label}' is longer than 63 characters; write a DNS name such as \"bank.example\" or \"*.bank.example\""),
                ("tls.profile.bypass_sni[1]", $"'{name}' is not a server name: the name is longer than 253 characters; write a DNS name such as \"bank.example\" or \"*.bank.example\""),
            ],
            result.Errors.Select(e => (e.Key, e.Message)));
    }

    [Fact]
    public void Parse_BypassSniSeveralBadEntries_ReportsEach()
    {
        const string text = """
            { "tls": { "profile": { "bypass_sni": [
                "good.example",
                42,
                "bad_name",
                null,
                "*.fine.example" ] } } }
            """;

        var result = ConfigText.Parse(text);

        Assert.Null(result.Config);
        Assert.Equal(
            [
                (3, "tls.profile.bypass_sni[1]"),
                (4, "tls.profile.bypass_sni[2]"),
                (5, "tls.profile.bypass_sni[3]"),
            ],
            result.Errors.Select(e => (e.Line, e.Key)));
    }

    [Fact]
    public void Parse_ErrorsInTlsAndProfile_AreAllReported()
    {
        const string text = """
            { "tls": {
                "cache_size": 1,
                "profile": { "mode": "x", "override_duration": 0 },
                "hello_timeout": 0 },
              "listeners": [ { "name": "u", "mode": "tproxy", "protocol": "udp", "port": 1, "tls": "detect" } ] }
            """;

        var result = ConfigText.Parse(text);

        Assert.Equal(
            ["tls.cache_size", "tls.profile.mode", "tls.profile.override_duration", "tls.hello_timeout", "listeners[0].tls"],
            result.Errors.Select(e => e.Key));
    }
}
