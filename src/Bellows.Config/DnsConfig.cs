// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>DNS settings (JSON <c>dns</c>): where the queries that a UDP REDIRECT listener receives are sent.</summary>
public sealed record DnsConfig
{
    /// <summary>
    /// JSON <c>nameservers</c>: IP literals, each reached on port 53; empty by default. Every one is used (Smithproxy
    /// keeps only the last). With none, a UDP REDIRECT listener drops every query. Assigning copies the list.
    /// </summary>
    public IReadOnlyList<string> Nameservers
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value];
        }
    } = [];

    /// <summary>JSON <c>selection</c>: how a query picks among <see cref="Nameservers"/>.</summary>
    public DnsSelection Selection { get; init; } = DnsSelection.RoundRobin;

    /// <summary>Value equality, including the nameservers element by element.</summary>
    public bool Equals(DnsConfig? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Nameservers.SequenceEqual(other.Nameservers)
                && Selection == other.Selection));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var nameserver in Nameservers)
        {
            hash.Add(nameserver);
        }

        hash.Add(Selection);
        return hash.ToHashCode();
    }
}
