// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>How sessions relay bytes between the client and upstream legs (JSON <c>relay</c>).</summary>
public sealed record RelayConfig
{
    /// <summary>JSON <c>nat</c>: the upstream source address policy; a listener's <c>nat</c> overrides it.</summary>
    public NatMode Nat { get; init; } = NatMode.Auto;

    /// <summary>JSON <c>connect_timeout</c>, in seconds (fractions allowed): more than 0, at most 600.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>JSON <c>idle_timeout</c>, in seconds: more than 0, at most 2147483 (the longest a timer can wait).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>JSON <c>buffer_size</c>: bytes per direction; a power of two from 4096 to 1048576.</summary>
    public int BufferSize { get; init; } = 65536;

    /// <summary>
    /// JSON <c>upstream_mark</c>: the <c>SO_MARK</c> put on upstream sockets, 0 for none; 0..0x7fffffff.
    /// It lets nft rules skip Bellows' own traffic.
    /// </summary>
    public int UpstreamMark { get; init; }

    /// <summary>JSON <c>no_delay</c>: <c>TCP_NODELAY</c> on both legs.</summary>
    public bool NoDelay { get; init; } = true;
}
