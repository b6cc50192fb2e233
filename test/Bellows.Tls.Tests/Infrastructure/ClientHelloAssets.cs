// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>
/// ClientHellos captured from real clients on loopback (a listener that records the first bytes):
/// openssl s_client 3.0 (TLS 1.3 with SNI and ALPN, TLS 1.2 only, no SNI) and curl 7.88/OpenSSL 3.0.
/// </summary>
internal static class ClientHelloAssets
{
    public const string OpenSslTls13 = "openssl-tls13-sni-alpn";
    public const string OpenSslTls12 = "openssl-tls12-sni";
    public const string OpenSslNoSni = "openssl-nosni";
    public const string Curl = "curl-sni-alpn";

    public static readonly string[] All = [OpenSslTls13, OpenSslTls12, OpenSslNoSni, Curl];

    public static byte[] Load(string name) =>
        Convert.FromHexString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Assets", name + ".hex")).Trim());
}
