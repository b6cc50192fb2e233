// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Idle;

/// <summary>One idle-connection run against one proxy.</summary>
/// <param name="Proxy">The path's name.</param>
/// <param name="Run">1-based run number.</param>
/// <param name="Connections">Connections established and echoed through the proxy, then left idle.</param>
/// <param name="Failed">Connections that could not be established or did not echo.</param>
/// <param name="ProxyLive">Sessions the proxy itself counted as open while they were idle.</param>
/// <param name="StillAlive">Of the probed sample, how many still echoed after the idle wait.</param>
/// <param name="Probed">Size of that sample.</param>
/// <param name="ResidentBefore">VmRSS of the proxy before the connections were opened (after a short warm-up).</param>
/// <param name="ResidentIdle">VmRSS of the proxy with the connections idle.</param>
/// <param name="Descriptors">Open descriptors of the proxy with the connections idle.</param>
/// <param name="DetailBefore">What the proxy says about its memory before, if it says anything.</param>
/// <param name="Detail">The same with the connections idle.</param>
public sealed record IdleSample(string Proxy, int Run, int Connections, int Failed, long ProxyLive, int StillAlive, int Probed,
    long ResidentBefore, long ResidentIdle, int Descriptors, string? DetailBefore, string? Detail)
{
    public double KibPerConnection => Connections == 0 ? 0 : (ResidentIdle - ResidentBefore) / 1024.0 / Connections;

    /// <summary>RSS at <paramref name="connections"/> idle connections, linear from the measured slope.</summary>
    public long ExtrapolatedResident(int connections) => ResidentBefore + (long)(KibPerConnection * 1024 * connections);
}
