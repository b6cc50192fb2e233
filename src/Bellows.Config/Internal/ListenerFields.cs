// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class ListenerFields
{
    private const int MaxNameLength = 32;
    private const int MaxThreads = 256;

    public static readonly FieldTable<ListenerConfig> Table = new("listeners[]", "name", "mode", "port")
    {
        {
            "name",
            (c, v) => v.TryString(out var name)
                && v.Require(IsValidName(name), $"invalid listener name '{name}'; use 1 to {MaxNameLength} characters from a-z, 0-9, '-' and '_'")
                    ? c with { Name = name }
                    : c
        },
        { "mode", (c, v) => v.TryChoice(Choices.ListenerModes, out var mode) ? c with { Mode = mode } : c },
        { "protocol", (c, v) => v.TryChoice(Choices.Protocols, out var protocol) ? c with { Protocol = protocol } : c },
        { "port", (c, v) => v.TryInt(1, 65535, out var port) ? c with { Port = port } : c },
        { "addresses", (c, v) => ListenerAddresses.TryBind(v, out var addresses) ? c with { Addresses = addresses } : c },
        { "acceptors", (c, v) => v.TryInt(0, MaxThreads, out var n) ? c with { Acceptors = n } : c },
        { "workers", (c, v) => v.TryInt(0, MaxThreads, out var n) ? c with { Workers = n } : c },
        { "acceptor_mode", (c, v) => v.TryChoice(Choices.AcceptorModes, out var mode) ? c with { AcceptorMode = mode } : c },
        { "backlog", (c, v) => v.TryInt(1, 65535, out var backlog) ? c with { Backlog = backlog } : c },
        { "enabled", (c, v) => v.TryBool(out var enabled) ? c with { Enabled = enabled } : c },
        { "nat", (c, v) => v.IsNull ? c with { Nat = null } : v.TryChoice(Choices.NatModes, out var nat) ? c with { Nat = nat } : c },
        { "tls", (c, v) => v.TryChoice(Choices.TlsListenerModes, out var tls) ? c with { Tls = tls } : c },
    };

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength
        && name.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');
}
