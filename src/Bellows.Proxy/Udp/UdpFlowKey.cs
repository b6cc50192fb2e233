// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;

namespace Bellows.Proxy.Udp;

/// <summary>A flow is one client address and port talking to one (original) destination address and port.</summary>
public readonly record struct UdpFlowKey(IPEndPoint Client, IPEndPoint Destination);
