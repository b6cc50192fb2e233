// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class ShutdownFields
{
    public static readonly FieldTable<ShutdownConfig> Table = new("shutdown")
    {
        { "drain", (c, v) => v.TrySeconds(0, minExclusive: false, 600, out var drain) ? c with { Drain = drain } : c },
    };
}
