// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

/// <summary>Shortcuts for parsing config text in tests.</summary>
internal static class ConfigText
{
    public const string Source = "test.jsonc";

    public static ConfigResult Parse(string text) => ConfigLoader.Parse(text, Source);

    public static BellowsConfig Valid(string text)
    {
        var result = Parse(text);
        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        return result.Config;
    }

    public static ConfigDiagnostic SingleError(string text)
    {
        var result = Parse(text);
        Assert.Null(result.Config);
        return Assert.Single(result.Errors);
    }

    /// <summary>A document whose only key is <c>section.key</c>, with the value on line 3 at column key.Length + 9.</summary>
    public static string Section(string section, string key, string value) =>
        $"{{\n  \"{section}\": {{\n    \"{key}\": {value}\n  }}\n}}";

    /// <summary>One valid listener plus <c>key</c>, with the value on line 4 at column key.Length + 11.</summary>
    public static string Listener(string key, string value) =>
        $"{{\n  \"listeners\": [\n    {{ \"name\": \"a\", \"mode\": \"tproxy\", \"port\": 1000,\n      \"{key}\": {value} }}\n  ]\n}}";

    /// <summary>A document whose only key is <c>tls.profile.key</c>, with the value on line 4 at column key.Length + 11.</summary>
    public static string Profile(string key, string value) =>
        $"{{\n  \"tls\": {{\n    \"profile\": {{\n      \"{key}\": {value}\n    }}\n  }}\n}}";
}
