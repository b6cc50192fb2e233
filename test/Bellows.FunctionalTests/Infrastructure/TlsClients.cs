// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>What `openssl s_client` saw: the negotiated ALPN and the leaf certificate the server presented.</summary>
internal sealed record TlsProbe(string Output, string? Alpn, X509Certificate2? Certificate)
{
    public IReadOnlyList<string> DnsNames => Certificate is null ? [] : San()?.EnumerateDnsNames().ToList() ?? [];

    public IReadOnlyList<string> IPAddresses => Certificate is null ? [] : San()?.EnumerateIPAddresses().Select(a => a.ToString()).ToList() ?? [];

    /// <summary>Whether the leaf chains to the CA in <paramref name="caPemPath"/> (signature and validity; names and revocation are not checked).</summary>
    public bool IsIssuedBy(string caPemPath)
    {
        if (Certificate is null)
        {
            return false;
        }

        using var ca = X509CertificateLoader.LoadCertificateFromFile(caPemPath);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        return chain.Build(Certificate) && chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.Thumbprint == ca.Thumbprint;
    }

    private X509SubjectAlternativeNameExtension? San() =>
        Certificate!.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
}

/// <summary>TLS clients run in a namespace: curl for requests, openssl s_client for what the handshake shows.</summary>
internal static partial class TlsClients
{
    public static readonly string ServerV4 = LabTopology.ServerV4.ToString();

    /// <summary>
    /// curl --http1.1 https://NAME/PATH with NAME pinned to <paramref name="address"/> (no DNS involved), trusting
    /// only <paramref name="caFile"/>, or nothing at all (-k) when it is null. HTTP/1.1 only: the origin
    /// negotiates h2 but does not serve it.
    /// </summary>
    public static Task<CommandResult> CurlAsync(NetworkNamespace ns, string name, string? caFile, string path = "/", string? address = null, params string[] extra)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string target = address ?? ServerV4;
        string pinned = target.Contains(':', StringComparison.Ordinal) ? $"[{target}]" : target;
        var args = new List<string> { "curl", "-sS", "--max-time", "20", "--http1.1", "--resolve", $"{name}:443:{pinned}" };
        args.AddRange(caFile is null ? ["-k"] : ["--cacert", caFile]);
        args.AddRange(extra);
        args.Add($"https://{name}{path}");
        return ns.RunAsync(args, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// openssl s_client to <paramref name="address"/>:<paramref name="port"/> with SNI <paramref name="serverName"/>
    /// (none when null) and ALPN <paramref name="alpn"/> (none when null); stdin is empty, so it closes right
    /// after the handshake.
    /// </summary>
    public static async Task<TlsProbe> ProbeAsync(NetworkNamespace ns, string? serverName, string? alpn = null, string? address = null, int port = 443)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string target = address ?? ServerV4;
        string connect = target.Contains(':', StringComparison.Ordinal) ? $"[{target}]:{port}" : $"{target}:{port}";
        var args = new List<string> { "openssl", "s_client", "-connect", connect };
        args.AddRange(serverName is null ? ["-noservername"] : ["-servername", serverName]);
        if (alpn is not null)
        {
            args.AddRange(["-alpn", alpn]);
        }

        var result = await ns.RunWithInputAsync(args, "", TimeSpan.FromSeconds(30));
        string output = result.StandardOutput + "\n" + result.StandardError;
        var alpnMatch = AlpnLine().Match(result.StandardOutput);
        var pem = PemBlock().Match(result.StandardOutput);
        return new TlsProbe(
            output,
            alpnMatch.Success ? alpnMatch.Groups[1].Value.Trim() : null,
            pem.Success ? X509Certificate2.CreateFromPem(pem.Value) : null);
    }

    /// <summary>The certificate the origin serves for <paramref name="name"/>, from the lab's files.</summary>
    public static X509Certificate2 OriginLeaf(LabFixture fixture, string name) =>
        X509CertificateLoader.LoadCertificateFromFile(Bellows.Lab.Tls.LabOriginPki.LeafPath(fixture.Lab.WorkDirectory, name));

    [GeneratedRegex(@"^ALPN protocol: (.+)$", RegexOptions.Multiline)]
    private static partial Regex AlpnLine();

    [GeneratedRegex(@"-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----")]
    private static partial Regex PemBlock();
}
