// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>Graceful shutdown (JSON <c>shutdown</c>).</summary>
public sealed record ShutdownConfig
{
    /// <summary>JSON <c>drain</c>: how long open sessions may finish, in seconds; 0..600.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);
}
