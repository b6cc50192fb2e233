// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

internal static class TlsFields
{
    public static readonly FieldTable<TlsConfig> Table = new("tls")
    {
        { "ca_dir", (c, v) => TryPath(v, out var path) ? c with { CaDirectory = path } : c },
        { "certs_dir", (c, v) => v.IsNull ? c with { CertificatesDirectory = null } : TryPath(v, out var path) ? c with { CertificatesDirectory = path } : c },
        { "trust_bundle", (c, v) => v.IsNull ? c with { TrustBundle = null } : TryPath(v, out var path) ? c with { TrustBundle = path } : c },
        { "extra_trust", (c, v) => v.IsNull ? c with { ExtraTrust = null } : TryPath(v, out var path) ? c with { ExtraTrust = path } : c },
        { "hello_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, 60, out var t) ? c with { HelloTimeout = t } : c },
        { "handshake_timeout", (c, v) => v.TrySeconds(0, minExclusive: true, 120, out var t) ? c with { HandshakeTimeout = t } : c },
        { "cache_size", (c, v) => v.TryInt(16, 1_000_000, out var n) ? c with { CacheSize = n } : c },
        { "revocation_cache_time", (c, v) => v.TrySeconds(0, minExclusive: false, 86_400, out var t) ? c with { RevocationCacheTime = t } : c },
        { "verdict_cache_time", (c, v) => v.TrySeconds(0, minExclusive: false, 86_400, out var t) ? c with { VerdictCacheTime = t } : c },
        { "key_log", (c, v) => v.IsNull ? c with { KeyLog = null } : TryPath(v, out var path) ? c with { KeyLog = path } : c },
        { "profile", (c, v) => v.TrySection(c.Profile, TlsProfileFields.Table, out var profile) ? c with { Profile = profile } : c },
    };

    /// <summary>A file or directory path: a non-empty string without NUL (which no path can hold).</summary>
    private static bool TryPath(FieldValue value, out string path) =>
        value.TryString(out path)
        && value.Require(path.Length > 0, "expected a path, found an empty string")
        && value.Require(!path.Contains('\0', StringComparison.Ordinal), "a path cannot contain a NUL character");
}
