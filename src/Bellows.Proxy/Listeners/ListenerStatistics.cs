// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Acceptors;
using Bellows.Proxy.Udp;
using Bellows.Proxy.Workers;

namespace Bellows.Proxy.Listeners;

/// <summary>A snapshot of one listener: its acceptors and workers.</summary>
public sealed record ListenerStatistics(
    string Name,
    string Mode,
    int Port,
    string AcceptorMode,
    IReadOnlyList<AcceptorStatistics> Acceptors,
    IReadOnlyList<WorkerStatistics> Workers,
    string Protocol,
    UdpFlowStatistics? Flows);
