// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab;
using Bellows.Proxy.Diversion;

namespace Bellows.LabBenchmarks.Tls;

/// <summary>
/// The lab's diversion rules narrowed to the origin's two HTTPS ports from the client (443, no resumption; 8443,
/// resumption offered), TPROXYed to a TLS proxy's port.
/// </summary>
public static class TlsDiversion
{
    public static DiversionOptions For(LabEnvironment lab, int listenerPort)
    {
        ArgumentNullException.ThrowIfNull(lab);
        string[] ports = ["443", Tools.NginxTls.ResumptionProbePort.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return lab.Diversion with { TproxyPorts = ports, TproxyListenerPort = listenerPort, UdpTproxyPorts = [] };
    }
}
