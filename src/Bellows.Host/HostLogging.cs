// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Bellows.Host;

/// <summary>Console logging as the config asks: one line per event, text or JSON.</summary>
internal static class HostLogging
{
    public static ILoggerFactory Create(LoggingConfig config) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(ParseLevel(config.Level));
        if (string.Equals(config.Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }
    });

    private static LogLevel ParseLevel(string level) =>
        Enum.TryParse<LogLevel>(level, ignoreCase: true, out var parsed) ? parsed : LogLevel.Information;
}
