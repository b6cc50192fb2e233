// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Acceptors;

/// <summary>A snapshot of one acceptor's counters.</summary>
public sealed record AcceptorStatistics(int Index, string EndPoint, long Accepted, long Rejected, long AcceptErrors);
