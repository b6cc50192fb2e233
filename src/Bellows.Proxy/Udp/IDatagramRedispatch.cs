// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;

namespace Bellows.Proxy.Udp;

/// <summary>Takes back a datagram that reached a flow's socket but belongs to another client (see <see cref="UdpReceiver"/>).</summary>
public interface IDatagramRedispatch
{
    /// <summary>Called from any thread; the datagram is dispatched as if the listener had read it.</summary>
    void Redispatch(IPEndPoint source, IPEndPoint originalDestination, byte[] datagram);
}
