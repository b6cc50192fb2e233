// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Text;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// The lab's TLS origin checked without Bellows: from the gateway (its own traffic is not diverted) and the
/// server namespace. If these fail, the TLS tests through Bellows cannot mean anything.
/// </summary>
public class TlsOriginTests(TlsOriginLab fixture) : IClassFixture<TlsOriginLab>
{
    private NetworkNamespace Gateway => fixture.Lab.Topology.Gateway;

    [Theory]
    [InlineData("198.18.1.2")]
    [InlineData("2001:2:0:2::2")]
    public async Task Curl_ByAddressTrustingOriginCa_GetsPage(string address)
    {
        string url = address.Contains(':', StringComparison.Ordinal) ? $"https://[{address}]/" : $"https://{address}/";
        var result = await Gateway.RunAsync(["curl", "-sS", "--max-time", "10", "--http1.1", "--cacert", fixture.Lab.OriginCaPath, url], TimeSpan.FromSeconds(20));
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
    }

    [Theory]
    [InlineData(LabOriginNames.Www)]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    [InlineData(LabOriginNames.SelfSigned)]
    [InlineData(LabOriginNames.Revoked)]
    [InlineData(LabOriginNames.GoodOcsp)]
    [InlineData(LabOriginNames.Bypass)]
    [InlineData(LabOriginNames.Mint)]
    [InlineData(null)]
    public async Task Probe_BySni_ServesThatNamesCertificate(string? name)
    {
        var probe = await TlsClients.ProbeAsync(Gateway, name);
        Assert.NotNull(probe.Certificate);
        using var expected = TlsClients.OriginLeaf(fixture, name ?? LabOriginNames.Www);
        Assert.Equal(expected.Thumbprint, probe.Certificate.Thumbprint);
    }

    [Theory]
    [InlineData(LabOriginNames.Www, 0)]
    [InlineData(LabOriginNames.GoodOcsp, 0)]
    [InlineData(LabOriginNames.Expired, 60)]
    [InlineData(LabOriginNames.WrongName, 60)]
    [InlineData(LabOriginNames.SelfSigned, 60)]
    public async Task Curl_TrustingOriginCa_AcceptsExactlyTheValidNames(string name, int exitCode)
    {
        var result = await TlsClients.CurlAsync(Gateway, name, fixture.Lab.OriginCaPath);
        Assert.True(exitCode == result.ExitCode, $"curl exit {result.ExitCode}: {result.StandardError}");
        if (exitCode == 0)
        {
            Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
        }
    }

    [Theory]
    [InlineData("h2", "h2")]
    [InlineData("http/1.1", "http/1.1")]
    [InlineData("http/1.1,h2", "http/1.1")]
    [InlineData("h2,http/1.1", "h2")]
    public async Task Probe_Alpn_ClientsFirstSupportedProtocolWins(string offered, string negotiated)
    {
        var probe = await TlsClients.ProbeAsync(Gateway, LabOriginNames.Www, offered);
        Assert.True(negotiated == probe.Alpn, probe.Output);
    }

    [Fact]
    public async Task Curl_TwoRequests_ReuseOneConnection_AndCloseIsHonoured()
    {
        var both = await TlsClients.CurlAsync(Gateway, LabOriginNames.Www, fixture.Lab.OriginCaPath, "/", null,
            "-v", $"https://{LabOriginNames.Www}/whoami");
        Assert.True(both.Succeeded, both.StandardError);
        Assert.Contains("Re-using existing connection", both.StandardError, StringComparison.Ordinal);

        // curl fetches the extra URL (/whoami) first, then the main one (/).
        Assert.StartsWith(LabTopology.GatewayServerSideV4 + ":", both.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("\n" + LabTlsServer.Greeting, both.StandardOutput, StringComparison.Ordinal);

        var close = await TlsClients.CurlAsync(Gateway, LabOriginNames.Www, fixture.Lab.OriginCaPath, "/bytes/100000", null,
            "-H", "Connection: close", "-D", "-", "-o", "/dev/null", "-w", "size=%{size_download}");
        Assert.True(close.Succeeded, close.StandardError);
        Assert.Contains("Connection: close\r\n", close.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("size=100000", close.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LabOriginNames.Revoked, "revoked")]
    [InlineData(LabOriginNames.GoodOcsp, "good")]
    public async Task OpensslOcsp_AsksResponder_GetsStatus(string name, string status)
    {
        var result = await LabOcspResponder.QueryAsync(Gateway, fixture.Lab.OriginPki!, LabOriginPki.LeafPath(fixture.Lab.WorkDirectory, name));
        Assert.Contains($"{name}.pem: {status}", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Response verify OK", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crl_ServedOverHttp_ListsRevokedSerial()
    {
        using var revoked = TlsClients.OriginLeaf(fixture, LabOriginNames.Revoked);
        var result = await Gateway.ShellAsync($"curl -sS --max-time 10 {LabOriginPki.CrlUrl} | openssl crl -inform DER -noout -text", TimeSpan.FromSeconds(20));
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("Serial Number: " + revoked.SerialNumber, result.StandardOutput, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PlainService_Port8443_AnswersOneLine()
    {
        using var socket = await ClientSockets.ConnectAsync(Gateway, new(LabTopology.ServerV4, LabLineServer.Port));
        await socket.SendAsync("hello\n"u8.ToArray(), SocketFlags.None);
        Assert.Equal(LabLineServer.AnswerPrefix + "hello\n", await ReadToEndAsync(socket));
    }

    [Fact]
    public async Task Dnsmasq_ResolvesEveryOriginName_ToTheServer()
    {
        foreach (string name in LabOriginNames.Resolved)
        {
            var a = await fixture.Lab.Topology.Server.RunAsync("dig", "+short", "@198.18.1.2", name, "A");
            var aaaa = await fixture.Lab.Topology.Server.RunAsync("dig", "+short", "@198.18.1.2", name, "AAAA");
            Assert.True(a.StandardOutput.Trim() == LabTopology.ServerV4.ToString(), $"{name} A: {a.StandardOutput}");
            Assert.True(aaaa.StandardOutput.Trim() == LabTopology.ServerV6.ToString(), $"{name} AAAA: {aaaa.StandardOutput}");
        }
    }

    internal static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
