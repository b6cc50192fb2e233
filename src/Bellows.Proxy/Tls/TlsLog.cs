// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Tls;

/// <summary>TLS set-up messages. Event ids 4000-4099.</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 4000, EventName = "CaCreated", Level = LogLevel.Warning,
        Message = "created a new TLS inspection CA at {Path}; clients must trust it (bellows ca export prints it)")]
    public static partial void CaCreated(ILogger logger, string path);

    [LoggerMessage(EventId = 4001, EventName = "CustomCertificateSkipped", Level = LogLevel.Warning,
        Message = "custom certificate skipped: {Error}")]
    public static partial void CustomCertificateSkipped(ILogger logger, string error);

    [LoggerMessage(EventId = 4002, EventName = "TlsReady", Level = LogLevel.Information,
        Message = "TLS inspection ready: CA {Subject}, trust {Trust}, revocation {Revocation}, {Custom} custom certificates")]
    public static partial void Ready(ILogger logger, string subject, string trust, string revocation, int custom);

    [LoggerMessage(EventId = 4003, EventName = "KeyLogEnabled", Level = LogLevel.Warning,
        Message = "TLS key log enabled: the secrets of every inspected session go to {Path}")]
    public static partial void KeyLogEnabled(ILogger logger, string path);

    [LoggerMessage(EventId = 4004, EventName = "RevocationFilesPruned", Level = LogLevel.Information,
        Message = "removed {Count} stale OCSP/CRL files (older than {Days} days) from .NET's revocation cache")]
    public static partial void RevocationFilesPruned(ILogger logger, int count, double days);
}
