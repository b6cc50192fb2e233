// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>DNS settings (JSON <c>dns</c>): where redirected DNS (the REDIRECT UDP listener) is sent.</summary>
public sealed record DnsConfig
{
    /// <summary>JSON <c>nameservers</c>: IP literals, port 53. Every one is used (Smithproxy keeps only the last).</summary>
    public IReadOnlyList<string> Nameservers
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value];
        }
    } = [];

    /// <summary>JSON <c>selection</c>: round-robin (default) or first-alive.</summary>
    public DnsSelection Selection { get; init; } = DnsSelection.RoundRobin;

    public bool Equals(DnsConfig? other) =>
        other is not null && Nameservers.SequenceEqual(other.Nameservers) && Selection == other.Selection;

    public override int GetHashCode() => HashCode.Combine(Nameservers.Count, Selection);
}
