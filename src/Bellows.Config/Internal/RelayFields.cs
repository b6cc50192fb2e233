// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Numerics;

namespace Bellows.Config.Internal;

internal static class RelayFields
{
    /// <summary>
    /// The longest idle timeout, in seconds: a .NET timer or CancelAfter waits at most int.MaxValue milliseconds,
    /// about 24.8 days. The UDP idle timeouts share it.
    /// </summary>
    public const double MaxIdleSeconds = 2_147_483;

    public static readonly FieldTable<RelayConfig> Table = new("relay")
    {
        { "nat", (c, v) => v.TryChoice(Choices.NatModes, out var nat) ? c with { Nat = nat } : c },
        { "connect_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, 600, out var t) ? c with { ConnectTimeout = t } : c },
        { "idle_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, MaxIdleSeconds, out var t) ? c with { IdleTimeout = t } : c },
        {
            "buffer_size",
            (c, v) => v.TryInt(4096, 1_048_576, out var size)
                && v.Require(BitOperations.IsPow2(size), $"{size} is not a power of two (such as 16384, 65536, 131072)")
                    ? c with { BufferSize = size }
                    : c
        },
        { "upstream_mark", (c, v) => v.TryInt(0, int.MaxValue, out var mark) ? c with { UpstreamMark = mark } : c },
        { "no_delay", (c, v) => v.TryBool(out var noDelay) ? c with { NoDelay = noDelay } : c },
    };
}
