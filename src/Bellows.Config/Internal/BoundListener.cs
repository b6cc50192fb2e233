// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>A listener as bound, with its index and node, so cross-listener checks can point at the right line.</summary>
internal readonly record struct BoundListener(int Index, ListenerConfig Config, ObjectNode Node);
