// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>Minting is single-flight: many first connections to one name at once share one certificate.</summary>
public partial class TlsInspectionTests
{
    [Fact]
    public async Task HundredParallelFirstConnections_OneName_MintExactlyOneCertificate()
    {
        const int count = 100;
        long before = await TlsStatus.CertificatesMintedAsync(fixture);

        // All connected first, then all handshakes started together: the mints really overlap.
        var sockets = await ClientSockets.ConnectManyAsync(Client, new IPEndPoint(LabTopology.ServerV4, 443), count);
        string[] thumbprints;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var results = await Task.WhenAll(sockets.Select(s => FetchAsync(s, LabOriginNames.Mint, timeout.Token)));
            Assert.All(results, r => Assert.Contains(LabTlsServer.Greeting, r.Body, StringComparison.Ordinal));
            thumbprints = results.Select(r => r.Thumbprint).Distinct().ToArray();
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }

        long after = await TlsStatus.CertificatesMintedAsync(fixture);
        Assert.True(thumbprints.Length == 1, $"{count} clients saw {thumbprints.Length} different certificates for {LabOriginNames.Mint}");
        Assert.True(after - before == 1, $"{count} parallel first connections to {LabOriginNames.Mint} minted {after - before} certificates ({TlsStatus.MintedKey} went {before} -> {after}); single-flight minting should mint exactly 1");
        await fixture.AssertQuiescentAsync();
    }

    /// <summary>One TLS handshake (any certificate accepted, but it must be Bellows') and one GET with Connection: close.</summary>
    private async Task<(string Thumbprint, string Body)> FetchAsync(Socket socket, string name, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await using (ssl)
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = name,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            }, cancellationToken);
            using var certificate = new X509Certificate2(ssl.RemoteCertificate!);
            Assert.True(new TlsProbe("", null, certificate).IsIssuedBy(fixture.Lab.Options.BellowsCaPath), "not Bellows' certificate");
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {name}\r\nConnection: close\r\n\r\n"), cancellationToken);
            var body = new MemoryStream();
            await ssl.CopyToAsync(body, cancellationToken);
            return (certificate.GetCertHashString(HashAlgorithmName.SHA256), Encoding.ASCII.GetString(body.ToArray()));
        }
    }
}
