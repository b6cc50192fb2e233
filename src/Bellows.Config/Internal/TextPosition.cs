// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>A 1-based line and column in the config text.</summary>
internal readonly record struct TextPosition(int Line, int Column);
