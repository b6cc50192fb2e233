// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class LoggingFields
{
    public static readonly FieldTable<LoggingConfig> Table = new("logging")
    {
        { "level", (c, v) => v.TryChoice(Choices.LogLevels, out var level) ? c with { Level = level } : c },
        { "session_log", (c, v) => v.TryBool(out var sessionLog) ? c with { SessionLog = sessionLog } : c },
        { "format", (c, v) => v.TryChoice(Choices.LogFormats, out var format) ? c with { Format = format } : c },
    };
}
