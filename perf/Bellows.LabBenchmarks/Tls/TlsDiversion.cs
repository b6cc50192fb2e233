// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab;
using Bellows.Proxy.Diversion;

namespace Bellows.LabBenchmarks.Tls;

/// <summary>The lab's diversion rules narrowed to TCP 443 from the client, TPROXYed to a TLS proxy's port.</summary>
public static class TlsDiversion
{
    public const string HttpsPort = "443";

    public static DiversionOptions For(LabEnvironment lab, int listenerPort)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return lab.Diversion with { TproxyPorts = [HttpsPort], TproxyListenerPort = listenerPort, UdpTproxyPorts = [] };
    }
}
