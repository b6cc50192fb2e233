// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>
/// How TLS sessions are treated (JSON <c>tls.profile</c>): the global default now, one per policy rule once
/// policies exist.
/// </summary>
public sealed record TlsProfileConfig
{
    /// <summary>JSON <c>mode</c>.</summary>
    public TlsInspectionMode Mode { get; init; } = TlsInspectionMode.Inspect;

    /// <summary>JSON <c>allow_untrusted_issuers</c>: accept chains that do not end at a trusted root.</summary>
    public bool AllowUntrustedIssuers { get; init; }

    /// <summary>JSON <c>allow_self_signed</c>: accept a self-signed server certificate.</summary>
    public bool AllowSelfSigned { get; init; }

    /// <summary>JSON <c>allow_invalid_certs</c>: accept expired, not-yet-valid and wrong-name certificates.</summary>
    public bool AllowInvalidCerts { get; init; }

    /// <summary>JSON <c>on_failure</c>.</summary>
    public TlsFailureAction OnFailure { get; init; } = TlsFailureAction.Block;

    /// <summary>JSON <c>override_duration</c>, in seconds: how long an accepted warning stays accepted; 1..2592000.</summary>
    public TimeSpan OverrideDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>JSON <c>override_scope</c>.</summary>
    public TlsOverrideScope OverrideScope { get; init; } = TlsOverrideScope.ClientServer;

    /// <summary>JSON <c>revocation</c>.</summary>
    public TlsRevocationMode Revocation { get; init; } = TlsRevocationMode.SoftFail;

    /// <summary>
    /// JSON <c>bypass_sni</c>: server names relayed untouched. An entry matches the name itself and every name
    /// below it on a label boundary (<c>bank.example</c> matches <c>www.bank.example</c>, not <c>mybank.example</c>);
    /// <c>*.bank.example</c> matches only names below it. Assigning copies the list.
    /// </summary>
    public IReadOnlyList<string> BypassSni
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = [.. value];
        }
    } = [];

    /// <summary>JSON <c>non_tls</c>.</summary>
    public NonTlsAction NonTls { get; init; } = NonTlsAction.Relay;

    /// <summary>Value equality, including the bypass list element by element.</summary>
    public bool Equals(TlsProfileConfig? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Mode == other.Mode
                && AllowUntrustedIssuers == other.AllowUntrustedIssuers
                && AllowSelfSigned == other.AllowSelfSigned
                && AllowInvalidCerts == other.AllowInvalidCerts
                && OnFailure == other.OnFailure
                && OverrideDuration == other.OverrideDuration
                && OverrideScope == other.OverrideScope
                && Revocation == other.Revocation
                && BypassSni.SequenceEqual(other.BypassSni)
                && NonTls == other.NonTls));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Mode);
        hash.Add(AllowUntrustedIssuers);
        hash.Add(AllowSelfSigned);
        hash.Add(AllowInvalidCerts);
        hash.Add(OnFailure);
        hash.Add(OverrideDuration);
        hash.Add(OverrideScope);
        hash.Add(Revocation);
        foreach (var name in BypassSni)
        {
            hash.Add(name);
        }

        hash.Add(NonTls);
        return hash.ToHashCode();
    }
}
