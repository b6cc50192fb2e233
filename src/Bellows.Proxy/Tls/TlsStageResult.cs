// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Relay;
using Bellows.Proxy.Sessions;

namespace Bellows.Proxy.Tls;

/// <summary>
/// How a session goes on after the TLS stage: with TLS legs (inspected), as a plain relay that first forwards
/// the bytes already read (bypass, not TLS), or not at all (<see cref="Failure"/> is set; both sockets are closed).
/// </summary>
internal readonly record struct TlsStageResult(RelayLeg? ClientLeg, RelayLeg? ServerLeg, ReadOnlyMemory<byte> ForwardFirst, CloseReason Failure)
{
    public static TlsStageResult Plain(ReadOnlyMemory<byte> forwardFirst) => new(null, null, forwardFirst, CloseReason.None);

    public static TlsStageResult Failed(CloseReason reason) => new(null, null, default, reason);
}
