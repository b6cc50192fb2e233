// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Lab.Tls;

/// <summary>
/// The names the lab's TLS origin serves (port 443 of the server namespace), each with the certificate that
/// makes it a test case. dnsmasq resolves all of them, and <see cref="Apex"/>, to the server's addresses.
/// </summary>
public static class LabOriginNames
{
    /// <summary>Valid, from the origin CA; SANs www.lab.test, lab.test and both server addresses. Served without SNI too.</summary>
    public const string Www = "www.lab.test";

    /// <summary>The second DNS SAN of <see cref="Www"/>'s certificate.</summary>
    public const string Apex = "lab.test";

    /// <summary>From the origin CA, but its validity ended yesterday.</summary>
    public const string Expired = "expired.lab.test";

    /// <summary>Served with a certificate from the origin CA whose only name is <see cref="WrongNameSan"/>.</summary>
    public const string WrongName = "wrongname.lab.test";

    public const string WrongNameSan = "other.example";

    /// <summary>Self-signed: not from the origin CA.</summary>
    public const string SelfSigned = "selfsigned.lab.test";

    /// <summary>From the origin CA and revoked: the OCSP responder says so, and so does the CRL.</summary>
    public const string Revoked = "revoked.lab.test";

    /// <summary>From the origin CA with an OCSP URL; the responder says good.</summary>
    public const string GoodOcsp = "good-ocsp.lab.test";

    /// <summary>Valid, from the origin CA: for bypass_sni tests (the client should see this very certificate).</summary>
    public const string Bypass = "bypass.lab.test";

    /// <summary>Valid, from the origin CA, and used by nothing else: the first connection to it mints a certificate.</summary>
    public const string Mint = "mint.lab.test";

    /// <summary>Every name with its own certificate.</summary>
    public static IReadOnlyList<string> Served { get; } = [Www, Expired, WrongName, SelfSigned, Revoked, GoodOcsp, Bypass, Mint];

    /// <summary>Every name dnsmasq answers for the server's addresses.</summary>
    public static IReadOnlyList<string> Resolved { get; } = [.. Served, Apex];
}
