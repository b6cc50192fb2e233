// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>One listening endpoint (JSON: an element of <c>listeners</c>).</summary>
public sealed record ListenerConfig
{
    private static readonly IReadOnlyList<string> s_defaultAddresses = ["0.0.0.0", "::"];

    /// <summary>JSON <c>name</c>, required: unique, 1 to 32 characters from <c>a-z 0-9 - _</c>.</summary>
    public required string Name { get; init; }

    /// <summary>JSON <c>mode</c>, required.</summary>
    public required ListenerMode Mode { get; init; }

    /// <summary>JSON <c>protocol</c>.</summary>
    public ListenerProtocol Protocol { get; init; } = ListenerProtocol.Tcp;

    /// <summary>JSON <c>port</c>, required: 1..65535.</summary>
    public required int Port { get; init; }

    /// <summary>
    /// JSON <c>addresses</c>: IP literals to bind. An IPv4 and an IPv6 entry each get their own socket.
    /// Assigning copies the list.
    /// </summary>
    public IReadOnlyList<string> Addresses
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value];
        }
    } = s_defaultAddresses;

    /// <summary>JSON <c>acceptors</c>: accepting (for UDP, receiving) threads; 0 means one per CPU. 0..256.</summary>
    public int Acceptors { get; init; }

    /// <summary>JSON <c>workers</c>: session workers; 0 means one per CPU. 0..256.</summary>
    public int Workers { get; init; }

    /// <summary>JSON <c>acceptor_mode</c>.</summary>
    public AcceptorMode AcceptorMode { get; init; } = AcceptorMode.ReusePort;

    /// <summary>JSON <c>backlog</c>: the <c>listen(2)</c> backlog, TCP only. 1..65535.</summary>
    public int Backlog { get; init; } = 4096;

    /// <summary>JSON <c>enabled</c>: a disabled listener is validated but not opened.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>JSON <c>nat</c>: overrides <see cref="RelayConfig.Nat"/> for this listener; null inherits it.</summary>
    public NatMode? Nat { get; init; }

    /// <summary>JSON <c>tls</c>: TCP only; whether sessions are looked at as TLS.</summary>
    public TlsListenerMode Tls { get; init; } = TlsListenerMode.Off;

    /// <summary>Value equality, including the addresses element by element.</summary>
    public bool Equals(ListenerConfig? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Name == other.Name
                && Mode == other.Mode
                && Protocol == other.Protocol
                && Port == other.Port
                && Addresses.SequenceEqual(other.Addresses)
                && Acceptors == other.Acceptors
                && Workers == other.Workers
                && AcceptorMode == other.AcceptorMode
                && Backlog == other.Backlog
                && Enabled == other.Enabled
                && Nat == other.Nat
                && Tls == other.Tls));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Mode);
        hash.Add(Protocol);
        hash.Add(Port);
        foreach (var address in Addresses)
        {
            hash.Add(address);
        }

        hash.Add(Acceptors);
        hash.Add(Workers);
        hash.Add(AcceptorMode);
        hash.Add(Backlog);
        hash.Add(Enabled);
        hash.Add(Nat);
        hash.Add(Tls);
        return hash.ToHashCode();
    }
}
