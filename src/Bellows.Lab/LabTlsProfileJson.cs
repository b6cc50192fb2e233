// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text.Json;
using Bellows.Config;

namespace Bellows.Lab;

/// <summary>Renders a <see cref="TlsProfileConfig"/> as the JSON object of <c>tls.profile</c>, every member spelled out.</summary>
/// <remarks>
/// Every member is written, defaults included, so a lab's configuration says exactly what the tests assume and
/// a change of a default in the binder cannot silently change what a test exercises.
/// </remarks>
public static class LabTlsProfileJson
{
    public static string Render(TlsProfileConfig profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var inv = CultureInfo.InvariantCulture;
        string bypass = string.Join(", ", profile.BypassSni.Select(n => JsonSerializer.Serialize(n, LabJsonContext.Default.String)));
        return string.Create(inv, $$"""
            {
                  "mode": "{{(profile.Mode == TlsInspectionMode.Bypass ? "bypass" : "inspect")}}",
                  "allow_untrusted_issuers": {{Bool(profile.AllowUntrustedIssuers)}},
                  "allow_self_signed": {{Bool(profile.AllowSelfSigned)}},
                  "allow_invalid_certs": {{Bool(profile.AllowInvalidCerts)}},
                  "on_failure": "{{(profile.OnFailure == TlsFailureAction.Warn ? "warn" : "block")}}",
                  "override_duration": {{profile.OverrideDuration.TotalSeconds}},
                  "override_scope": "{{(profile.OverrideScope == TlsOverrideScope.Certificate ? "certificate" : "client-server")}}",
                  "revocation": "{{Revocation(profile.Revocation)}}",
                  "bypass_sni": [{{bypass}}],
                  "non_tls": "{{(profile.NonTls == NonTlsAction.Drop ? "drop" : "relay")}}",
                }
            """);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Revocation(TlsRevocationMode mode) => mode switch
    {
        TlsRevocationMode.Off => "off",
        TlsRevocationMode.HardFail => "hard-fail",
        _ => "soft-fail",
    };
}
