// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// TLS through Bellows with the default profile: the client sees Bellows' certificate with the origin's names,
/// ALPN is mirrored, bytes arrive intact, bypass_sni shows the origin's own certificate, and non-TLS bytes on a
/// TLS port are relayed.
/// </summary>
public partial class TlsInspectionTests(TlsInspectLab fixture) : IClassFixture<TlsInspectLab>
{
    private NetworkNamespace Client => fixture.Lab.Topology.Client;

    private string BellowsCa => fixture.Lab.Options.BellowsCaPath;

    [Fact]
    public async Task Curl_TrustingBellowsCa_GetsPage()
    {
        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Www, BellowsCa);
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
        await fixture.WaitForSessionLineAsync($"dst={TlsClients.ServerV4}:443 ", "listener=tls");
    }

    [Fact]
    public async Task KeyLog_HoldsSecretsOfBothLegs_AndIsPrivate()
    {
        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Www, BellowsCa);
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");

        // NSS format: "<LABEL> <client random hex> <secret hex>"; each inspected session adds two handshakes
        // (client leg, upstream leg), each with its own client random.
        var lines = File.ReadAllLines(TlsInspectLab.KeyLogPath);
        var randoms = lines.Where(l => l.StartsWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).Distinct().Count();
        Assert.True(randoms >= 2, $"{randoms} handshakes in the key log");
        Assert.Contains(lines, l => l.StartsWith("CLIENT_TRAFFIC_SECRET_0 ", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TlsInspectLab.KeyLogPath));
    }

    [Fact]
    public async Task Curl_TrustingOnlyOriginCa_FailsVerification()
    {
        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Www, fixture.Lab.OriginCaPath);

        // 60: the peer's certificate cannot be verified with the given CA: it is Bellows', not the origin's.
        Assert.True(result.ExitCode == 60, $"curl exit {result.ExitCode}: {result.StandardError}");
    }

    [Fact]
    public async Task Probe_ServedCertificate_IssuedByBellowsWithOriginalNames()
    {
        var probe = await TlsClients.ProbeAsync(Client, LabOriginNames.Www);
        Assert.True(probe.Certificate is not null, probe.Output);
        Assert.True(probe.IsIssuedBy(BellowsCa), $"not issued by Bellows' CA: issuer {probe.Certificate.Issuer}");
        Assert.False(probe.IsIssuedBy(fixture.Lab.OriginCaPath), "the client sees the origin's own certificate");

        using var origin = TlsClients.OriginLeaf(fixture, LabOriginNames.Www);
        Assert.Equal(origin.Subject, probe.Certificate.Subject);
        Assert.Equal(origin.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().Order(StringComparer.Ordinal), probe.DnsNames.Order(StringComparer.Ordinal));
        Assert.Equal([LabOriginNames.Apex, LabOriginNames.Www], probe.DnsNames.Order(StringComparer.Ordinal));
        Assert.Equal([LabTopology.ServerV4.ToString(), LabTopology.ServerV6.ToString()], probe.IPAddresses.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("h2")]
    [InlineData("http/1.1")]
    public async Task Probe_Alpn_MirroredFromOrigin(string protocol)
    {
        var probe = await TlsClients.ProbeAsync(Client, LabOriginNames.Www, protocol);
        Assert.True(probe.Alpn == protocol, $"negotiated {probe.Alpn ?? "nothing"}:\n{probe.Output}");
        Assert.True(probe.IsIssuedBy(BellowsCa), "not inspected");
    }

    [Fact]
    public async Task Curl_IPv6WithSni_GetsPage()
    {
        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Www, BellowsCa, "/whoami", LabTopology.ServerV6.ToString());
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.StartsWith($"[{LabTopology.GatewayServerSideV6}]:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_ByAddressWithoutSni_GetsPage()
    {
        // curl sends no SNI for an address: the minted certificate must carry the address (the origin's has it).
        var result = await Client.RunAsync(["curl", "-sS", "--max-time", "20", "--http1.1", "--cacert", BellowsCa, $"https://{TlsClients.ServerV4}/"], TimeSpan.FromSeconds(30));
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
    }

    [Fact]
    public async Task Curl_TwoRequests_ReuseOneInspectedConnection()
    {
        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Www, BellowsCa, "/", null, "-v", $"https://{LabOriginNames.Www}/whoami");
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Contains("Re-using existing connection", result.StandardError, StringComparison.Ordinal);

        // /whoami first (the extra URL), then /: nat auto, so the origin sees the gateway.
        Assert.StartsWith(LabTopology.GatewayServerSideV4 + ":", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("\n" + LabTlsServer.Greeting, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_TenMebibytes_ArriveIntact()
    {
        const long size = 10L << 20;
        var expected = Task.Run(() => LabPattern.Sha256(size));
        var result = await Client.ShellAsync(
            $"curl -sS --max-time 60 --http1.1 --cacert {BellowsCa} --resolve {LabOriginNames.Www}:443:{TlsClients.ServerV4} https://{LabOriginNames.Www}/bytes/{size} | sha256sum",
            TimeSpan.FromSeconds(90));
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(await expected, result.StandardOutput.Split(' ')[0]);
    }

    [Fact]
    public async Task BypassSni_ClientSeesOriginsOwnCertificate()
    {
        var probe = await TlsClients.ProbeAsync(Client, LabOriginNames.Bypass);
        using var origin = TlsClients.OriginLeaf(fixture, LabOriginNames.Bypass);
        Assert.True(probe.Certificate is not null, probe.Output);
        Assert.Equal(origin.Thumbprint, probe.Certificate.Thumbprint);

        var result = await TlsClients.CurlAsync(Client, LabOriginNames.Bypass, fixture.Lab.OriginCaPath);
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
    }

    [Fact]
    public async Task NonTlsBytes_OnTlsPort_RelayedWithNonTlsRelay()
    {
        using (var socket = await ClientSockets.ConnectAsync(Client, new(LabTopology.ServerV4, LabLineServer.Port)))
        {
            await socket.SendAsync("hello through bellows\n"u8.ToArray(), SocketFlags.None);
            Assert.Equal(LabLineServer.AnswerPrefix + "hello through bellows\n", await TlsOriginTests.ReadToEndAsync(socket));
        }

        // Closed on our side too (the service waits for that): the relayed session ends.
        await fixture.AssertQuiescentAsync();
    }
}
