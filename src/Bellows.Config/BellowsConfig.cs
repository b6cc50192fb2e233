// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>
/// The whole Bellows configuration: an immutable snapshot with value equality, so a reload can tell whether
/// anything changed. Every property has an embedded default; <see cref="Default"/> is what runs with no file.
/// </summary>
public sealed record BellowsConfig
{
    // Smithproxy's defaults: TPROXY on the plaintext port 50080 (TCP and UDP) and the TLS port 50443, REDIRECT on
    // 50080 + 1000, and redirected DNS on 51053 (its DNS port 50053 + 1000). The plaintext listener detects TLS.
    private static readonly IReadOnlyList<ListenerConfig> s_defaultListeners =
    [
        new ListenerConfig { Name = "tcp", Mode = ListenerMode.Tproxy, Port = 50080, Tls = TlsListenerMode.Detect },
        new ListenerConfig { Name = "tls", Mode = ListenerMode.Tproxy, Port = 50443, Tls = TlsListenerMode.Always },
        new ListenerConfig { Name = "redir-tcp", Mode = ListenerMode.Redirect, Port = 51080 },
        new ListenerConfig { Name = "udp", Mode = ListenerMode.Tproxy, Protocol = ListenerProtocol.Udp, Port = 50080 },
        new ListenerConfig { Name = "redir-dns", Mode = ListenerMode.Redirect, Protocol = ListenerProtocol.Udp, Port = 51053 },
    ];

    /// <summary>The configuration used when there is no file, or the file is empty or <c>{}</c>.</summary>
    public static BellowsConfig Default { get; } = new();

    /// <summary>JSON <c>listeners</c>. Assigning copies the list, so later changes to the source list are not seen.</summary>
    public IReadOnlyList<ListenerConfig> Listeners
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value];
        }
    } = s_defaultListeners;

    /// <summary>JSON <c>relay</c>.</summary>
    public RelayConfig Relay { get; init; } = new();

    /// <summary>JSON <c>udp</c>.</summary>
    public UdpConfig Udp { get; init; } = new();

    /// <summary>JSON <c>dns</c>.</summary>
    public DnsConfig Dns { get; init; } = new();

    /// <summary>JSON <c>tls</c>.</summary>
    public TlsConfig Tls { get; init; } = new();

    /// <summary>JSON <c>limits</c>.</summary>
    public LimitsConfig Limits { get; init; } = new();

    /// <summary>JSON <c>shutdown</c>.</summary>
    public ShutdownConfig Shutdown { get; init; } = new();

    /// <summary>JSON <c>logging</c>.</summary>
    public LoggingConfig Logging { get; init; } = new();

    /// <summary>JSON <c>management</c>.</summary>
    public ManagementConfig Management { get; init; } = new();

    /// <summary>Value equality, including the listeners element by element (a record alone compares list references).</summary>
    public bool Equals(BellowsConfig? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Listeners.SequenceEqual(other.Listeners)
                && Relay == other.Relay
                && Udp == other.Udp
                && Dns == other.Dns
                && Tls == other.Tls
                && Limits == other.Limits
                && Shutdown == other.Shutdown
                && Logging == other.Logging
                && Management == other.Management));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var listener in Listeners)
        {
            hash.Add(listener);
        }

        hash.Add(Relay);
        hash.Add(Udp);
        hash.Add(Dns);
        hash.Add(Tls);
        hash.Add(Limits);
        hash.Add(Shutdown);
        hash.Add(Logging);
        hash.Add(Management);
        return hash.ToHashCode();
    }
}
