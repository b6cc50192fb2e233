// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>TLS inspection settings (JSON <c>tls</c>), used by listeners whose <c>tls</c> is not <c>"off"</c>.</summary>
public sealed record TlsConfig
{
    /// <summary>
    /// JSON <c>ca_dir</c>: the directory of Bellows' CA (<c>ca-cert.pem</c>, and <c>ca-key.pem</c> with mode 0600). Created
    /// with a new CA at start when missing (<c>bellows ca init</c> does the same on demand).
    /// </summary>
    public string CaDirectory { get; init; } = "/var/lib/bellows/ca";

    /// <summary>
    /// JSON <c>certs_dir</c>: custom certificates served instead of minted ones, <c>sni/NAME.crt</c>+<c>.key</c> and
    /// <c>ip/ADDRESS.crt</c>+<c>.key</c> (Smithproxy's layout); null for none.
    /// </summary>
    public string? CertificatesDirectory { get; init; }

    /// <summary>JSON <c>trust_bundle</c>: a PEM file of roots trusted upstream; null uses the system store.</summary>
    public string? TrustBundle { get; init; }

    /// <summary>
    /// JSON <c>extra_trust</c>: a PEM file of roots trusted upstream in addition to <c>trust_bundle</c> or, without
    /// one, to the system store (an internal CA beside the public ones); null for none.
    /// </summary>
    public string? ExtraTrust { get; init; }

    /// <summary>JSON <c>hello_timeout</c>, in seconds: how long a client may take to send its ClientHello; more than 0, at most 60.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>JSON <c>handshake_timeout</c>, in seconds: each TLS handshake (upstream, then client); more than 0, at most 120.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// JSON <c>revocation_cache_time</c>, in seconds: how long a server's revocation outcome is reused for the same
    /// chain (an unknown outcome a tenth of it); 0 checks every connection; at most 86400.
    /// </summary>
    public TimeSpan RevocationCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// JSON <c>verdict_cache_time</c>, in seconds: how long a server's clean upstream verdict is reused for the same
    /// presented certificates instead of building their chain again; 0 builds it for every connection; at most 86400.
    /// </summary>
    public TimeSpan VerdictCacheTime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>JSON <c>cache_size</c>: minted certificates kept (LRU); 16..1000000.</summary>
    public int CacheSize { get; init; } = 10_000;

    /// <summary>
    /// JSON <c>key_log</c>: a file that receives the NSS key log (SSLKEYLOGFILE format) of both legs, for
    /// Wireshark; null for none. Secrets: the file is created 0600.
    /// </summary>
    public string? KeyLog { get; init; }

    /// <summary>JSON <c>profile</c>.</summary>
    public TlsProfileConfig Profile { get; init; } = new();
}
