// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;

namespace Bellows.Host;

/// <summary>Console logging as the config asks: one line per event, text or JSON.</summary>
internal static class HostLogging
{
    /// <summary>
    /// Lines waiting for the console. A flood can end tens of thousands of flows a second; a full queue drops
    /// lines instead of blocking the thread that logs, because a stalled logger would stall the proxy itself.
    /// </summary>
    private const int QueueLength = 65_536;

    public static ILoggerFactory Create(LoggingConfig config) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(ParseLevel(config.Level));
        builder.Services.Configure<ConsoleLoggerOptions>(o =>
        {
            o.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite;
            o.MaxQueueLength = QueueLength;
        });
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
