// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Udp;

/// <summary>UDP listener start-up events. Event ids 1200-1299.</summary>
internal static partial class UdpListenerLog
{
    [LoggerMessage(EventId = 1200, EventName = "DnsNameservers", Level = LogLevel.Information,
        Message = "listener {Listener}: redirected DNS goes to {Nameservers} (from {Source})")]
    public static partial void Nameservers(ILogger logger, string listener, string nameservers, string source);
}
