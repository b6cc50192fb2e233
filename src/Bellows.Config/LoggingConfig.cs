// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Logging (JSON <c>logging</c>).</summary>
public sealed record LoggingConfig
{
    /// <summary>
    /// JSON <c>level</c>, matched case-insensitively and always stored in lower case: one of <c>trace</c>,
    /// <c>debug</c>, <c>information</c>, <c>warning</c>, <c>error</c>, <c>critical</c>, <c>none</c>
    /// (the names of Microsoft.Extensions.Logging's <c>LogLevel</c>, which this project does not reference).
    /// </summary>
    public string Level { get; init; } = "information";

    /// <summary>JSON <c>session_log</c>: one line per finished session.</summary>
    public bool SessionLog { get; init; } = true;

    /// <summary>JSON <c>format</c>: <c>text</c> or <c>json</c>.</summary>
    public string Format { get; init; } = "text";
}
