// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class TlsProfileFields
{
    // 30 days: long enough for any sensible override, short enough that a forgotten one expires.
    private const double MaxOverrideSeconds = 2_592_000;

    public static readonly FieldTable<TlsProfileConfig> Table = new("tls.profile")
    {
        { "mode", (c, v) => v.TryChoice(Choices.TlsInspectionModes, out var mode) ? c with { Mode = mode } : c },
        { "allow_untrusted_issuers", (c, v) => v.TryBool(out var allow) ? c with { AllowUntrustedIssuers = allow } : c },
        { "allow_self_signed", (c, v) => v.TryBool(out var allow) ? c with { AllowSelfSigned = allow } : c },
        { "allow_invalid_certs", (c, v) => v.TryBool(out var allow) ? c with { AllowInvalidCerts = allow } : c },
        { "on_failure", (c, v) => v.TryChoice(Choices.TlsFailureActions, out var action) ? c with { OnFailure = action } : c },
        { "override_duration", (c, v) => v.TrySeconds(1, minExclusive: false, MaxOverrideSeconds, out var t) ? c with { OverrideDuration = t } : c },
        { "override_scope", (c, v) => v.TryChoice(Choices.TlsOverrideScopes, out var scope) ? c with { OverrideScope = scope } : c },
        { "revocation", (c, v) => v.TryChoice(Choices.TlsRevocationModes, out var revocation) ? c with { Revocation = revocation } : c },
        { "bypass_sni", (c, v) => TryBindServerNames(v, out var names) ? c with { BypassSni = names } : c },
        { "non_tls", (c, v) => v.TryChoice(Choices.NonTlsActions, out var action) ? c with { NonTls = action } : c },
    };

    /// <summary>A list, possibly empty, of server names, stored lower-case; each bad entry is reported at its index.</summary>
    private static bool TryBindServerNames(FieldValue value, out IReadOnlyList<string> names) =>
        StringListBinder.TryBind(value, static (item, text) =>
        {
            if (ServerNamePattern.Validate(text) is { } problem)
            {
                item.Fail($"'{text}' is not a server name: {problem}; write a DNS name such as \"bank.example\" or \"*.bank.example\"");
                return null;
            }

            return ServerNamePattern.Normalize(text);
        }, out names);
}
