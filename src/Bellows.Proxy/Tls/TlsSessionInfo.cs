// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Tls;

/// <summary>What happened to a session on a TLS-aware listener, for its log line.</summary>
public sealed class TlsSessionInfo
{
    /// <summary>inspect, bypass, not-tls, blocked, warned, hello-error, handshake-error, plain (detect saw no TLS).</summary>
    public string Outcome { get; set; } = "plain";

    public string? ServerName { get; set; }

    /// <summary>The ALPN list the client offered, comma-separated.</summary>
    public string? OfferedAlpn { get; set; }

    /// <summary>The protocol the server chose (and the client was given).</summary>
    public string? Alpn { get; set; }

    public string? ClientVersion { get; set; }

    public string? ClientCipher { get; set; }

    public string? ServerVersion { get; set; }

    public string? ServerCipher { get; set; }

    /// <summary>The upstream verdict: ok, or the named problems; "overridden" is appended when a warning was accepted.</summary>
    public string? Verdict { get; set; }

    /// <summary>Where the client-side certificate came from: cache, minted, custom.</summary>
    public string? Certificate { get; set; }

    public string? Ja4 { get; set; }

    /// <summary>Why the session was closed by the TLS stage, when it was.</summary>
    public string? Detail { get; set; }
}
