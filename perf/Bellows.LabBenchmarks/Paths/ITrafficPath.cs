// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Paths;

/// <summary>
/// One way for client traffic to reach the server: plainly routed by the gateway, or diverted through a proxy in
/// the gateway namespace. Start() puts it in place (the proxy and the nft rules that divert to it).
/// </summary>
public interface ITrafficPath
{
    /// <summary>Shown in the report ("routed", "HAProxy 2.6.12", "Bellows (reuseport)").</summary>
    string Name { get; }

    /// <summary>The proxy process whose CPU time and RSS are measured; null when no proxy is in the path.</summary>
    int? ProxyPid { get; }

    Task StartAsync();

    Task StopAsync();

    /// <summary>The proxy's own connection counters; null for the routed path.</summary>
    Task<ProxyCounters?> ReadCountersAsync();
}
