// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Theory]
    [InlineData("relay", "buffer_sise", "buffer_size")]
    [InlineData("relay", "connectTimeout", "connect_timeout")]
    [InlineData("limits", "max_session", "max_sessions")]
    [InlineData("logging", "Level", "level")]
    [InlineData("tls", "hello_timout", "hello_timeout")]
    [InlineData("tls", "cachesize", "cache_size")]
    public void Parse_MisspelledKey_SuggestsTheClosestKey(string section, string key, string suggestion)
    {
        var error = ConfigText.SingleError(ConfigText.Section(section, key, "1"));

        Assert.Equal((3, 5, $"{section}.{key}"), (error.Line, error.Column, error.Key));
        Assert.Equal($"unknown key '{key}'; did you mean '{suggestion}'?", error.Message);
    }

    [Fact]
    public void Parse_MisspelledTlsProfileKey_SuggestsTheClosestKey()
    {
        var error = ConfigText.SingleError("{\n  \"tls\": {\n    \"profile\": {\n      \"bypass_sin\": []\n    }\n  }\n}");

        Assert.Equal((4, 7, "tls.profile.bypass_sin"), (error.Line, error.Column, error.Key));
        Assert.Equal("unknown key 'bypass_sin'; did you mean 'bypass_sni'?", error.Message);
    }

    [Fact]
    public void Parse_MisspelledListenerKey_SuggestsTheClosestKey()
    {
        var error = ConfigText.SingleError(ConfigText.Listener("adresses", "[]"));

        Assert.Equal((4, 7, "listeners[0].adresses"), (error.Line, error.Column, error.Key));
        Assert.Equal("unknown key 'adresses'; did you mean 'addresses'?", error.Message);
    }

    [Fact]
    public void Parse_UnknownKeyFarFromAnyKnownKey_ListsTheKnownKeys()
    {
        var error = ConfigText.SingleError("{\n  \"colour\": \"blue\"\n}");

        Assert.Equal((2, 3, "colour"), (error.Line, error.Column, error.Key));
        Assert.Equal(
            "unknown key 'colour'; known keys are listeners, relay, udp, dns, tls, limits, shutdown, logging, management",
            error.Message);
    }

    [Fact]
    public void Parse_DuplicateKey_ReportsTheSecondOccurrence()
    {
        const string text = "{\n  \"relay\": {\n    \"nat\": \"auto\",\n    \"nat\": \"none\"\n  }\n}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 5, "relay.nat"), (error.Line, error.Column, error.Key));
        Assert.Equal("duplicate key 'nat'; it was already set on line 3", error.Message);
    }

    [Fact]
    public void Parse_DuplicateSection_ReportsTheSecondOccurrence()
    {
        var error = ConfigText.SingleError("{\n  \"limits\": {},\n  \"shutdown\": {},\n  \"limits\": {}\n}");

        Assert.Equal((4, "limits"), (error.Line, error.Key));
    }

    [Fact]
    public void Parse_DuplicateKeyInsideIgnoredKey_IsStillReported()
    {
        var result = ConfigText.Parse("{\n  \"version\": { \"a\": 1,\n \"a\": 2 }\n}");

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "version.a"), (error.Line, error.Key));
    }

    [Fact]
    public void Parse_VersionKey_IsAcceptedWithAWarning()
    {
        var result = ConfigText.Parse("{\n  \"version\": 3,\n  \"shutdown\": { \"drain\": 5 }\n}");

        Assert.True(result.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Config.Shutdown.Drain);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal((2, 3, "version"), (warning.Line, warning.Column, warning.Key));
        Assert.Equal("ignored: Bellows does not read a config version", warning.Message);
    }

    [Fact]
    public void Parse_VersionKeyInsideASection_IsAnUnknownKey()
    {
        var error = ConfigText.SingleError(ConfigText.Section("relay", "version", "1"));

        Assert.Equal("relay.version", error.Key);
    }
}
