// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.Config;
using Bellows.Proxy.Sessions;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Proxy.Tests.Tls;

public class TlsSessionStageTests
{
    private static readonly TlsProfileConfig Strict = new() { Revocation = TlsRevocationMode.Off };

    [Fact]
    public async Task Inspect_ClientTrustingBellowsGetsMintedCopyAndTheServersAlpn()
    {
        await using var lab = new TlsStageHarness(Strict);
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, accepted, upstream) = await lab.OpenAsync();

        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("www.test", SslApplicationProtocol.Http11, SslApplicationProtocol.Http2));
        var result = await stage.RunAsync(CancellationToken.None);
        Assert.True(result.Failure.IsNone, stage.Info.Detail);
        await handshake;
        var relay = TlsStageHarness.Relay(result, accepted, upstream, lab.Pool).RunAsync();

        // The origin prefers h2 among what the client offered: the client is given exactly that.
        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        var minted = Assert.IsType<X509Certificate2>(tls.RemoteCertificate);
        Assert.Equal(lab.Inspector.Authority.Certificate.Subject, minted.Issuer);
        Assert.Equal(lab.OriginLeaf.Subject, minted.Subject);
        var sans = minted.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["www.test", "alt.test"], sans.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, sans.EnumerateIPAddresses());

        await tls.WriteAsync("ping"u8.ToArray());
        Assert.Equal("pong:h2:ping", await ReadAllAsync(tls));
        await origin;
        await tls.ShutdownAsync();
        await relay.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("inspect", stage.Info.Outcome);
        Assert.Equal("www.test", stage.Info.ServerName);
        Assert.Equal("ok", stage.Info.Verdict);
        Assert.Equal("minted", stage.Info.Certificate);
        Assert.Equal(1, lab.Inspector.GetStatistics().CertificatesMinted);
        Assert.Equal(0, lab.Pool.GetStatistics().Outstanding);
    }

    [Fact]
    public async Task Inspect_SecondSessionToTheSameNameUsesTheCache()
    {
        await using var lab = new TlsStageHarness(Strict);
        for (int i = 0; i < 2; i++)
        {
            var origin = lab.ServeOriginOnceAsync();
            var (client, stage, _, _) = await lab.OpenAsync();
            await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
            var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("alt.test"));
            var result = await stage.RunAsync(CancellationToken.None);
            await handshake;
            Assert.Equal(i == 0 ? "minted" : "cache", stage.Info.Certificate);
            result.ClientLeg!.Dispose();
            result.ServerLeg!.Dispose();
            await origin;
        }

        Assert.Equal(1, lab.Inspector.GetStatistics().CertificatesMinted);
    }

    [Fact]
    public async Task UntrustedUpstream_IsBlockedByDefault()
    {
        var stranger = TestCertificates.CreateRoot("Someone Else");
        await using var lab = new TlsStageHarness(Strict, TestCertificates.CreateLeaf(stranger, "CN=www.test", ["www.test"]));
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, accepted, upstream) = await lab.OpenAsync();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("www.test"));

        var result = await stage.RunAsync(CancellationToken.None);
        accepted.Dispose(); // what the session does with a failed stage
        upstream.Dispose();

        Assert.Equal(CloseKind.TlsBlocked, result.Failure.Kind);
        Assert.Equal("blocked", stage.Info.Outcome);
        Assert.Contains("UnknownIssuer", stage.Info.Verdict, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => handshake.WaitAsync(TimeSpan.FromSeconds(5)));
        await origin;
    }

    [Fact]
    public async Task UntrustedUpstream_AllowedByProfile_IsInspected()
    {
        var stranger = TestCertificates.CreateRoot("Someone Else");
        await using var lab = new TlsStageHarness(Strict with { AllowUntrustedIssuers = true }, TestCertificates.CreateLeaf(stranger, "CN=www.test", ["www.test"]));
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, _, _) = await lab.OpenAsync();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("www.test"));

        var result = await stage.RunAsync(CancellationToken.None);
        await handshake;

        Assert.True(result.Failure.IsNone, stage.Info.Detail);
        Assert.Equal("inspect", stage.Info.Outcome);
        result.ClientLeg!.Dispose();
        result.ServerLeg!.Dispose();
        await origin;
    }

    [Fact]
    public async Task Warn_PageOffersAnOverrideThatLetsTheNextSessionsThrough()
    {
        var stranger = TestCertificates.CreateRoot("Someone Else");
        await using var lab = new TlsStageHarness(Strict with { OnFailure = TlsFailureAction.Warn },
            TestCertificates.CreateLeaf(stranger, "CN=www.test", ["www.test"]));

        // 1: the request gets the warning page with an accept link.
        var page = await RequestThroughWarningAsync(lab, "/wanted?q=1");
        Assert.StartsWith("HTTP/1.1 403", page, StringComparison.Ordinal);
        Assert.Contains("UnknownIssuer", page, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/\\.bellows/accept/[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(link);

        // 2: following the link records the override and sends the browser back.
        var accepted = await RequestThroughWarningAsync(lab, link);
        Assert.StartsWith("HTTP/1.1 303", accepted, StringComparison.Ordinal);
        Assert.Contains("Location: /wanted?q=1", accepted, StringComparison.Ordinal);

        // 3: the next session is inspected.
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, _, _) = await lab.OpenAsync();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("www.test"));
        var result = await stage.RunAsync(CancellationToken.None);
        await handshake;
        Assert.True(result.Failure.IsNone, stage.Info.Detail);
        Assert.EndsWith("overridden", stage.Info.Verdict, StringComparison.Ordinal);
        var stats = lab.Inspector.GetStatistics();
        Assert.Equal((2L, 1L), (stats.Warned, stats.Overridden));
        result.ClientLeg!.Dispose();
        result.ServerLeg!.Dispose();
        await origin;
    }

    private static async Task<string> RequestThroughWarningAsync(TlsStageHarness lab, string path)
    {
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, accepted, upstream) = await lab.OpenAsync();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(lab.TrustBellows("www.test", SslApplicationProtocol.Http11));
        var run = stage.RunAsync(CancellationToken.None);
        await handshake;
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: www.test\r\n\r\n"));
        var response = await ReadAllAsync(tls);
        var result = await run;
        Assert.Equal(CloseKind.TlsBlocked, result.Failure.Kind);
        Assert.Equal("warned", stage.Info.Outcome);
        accepted.Dispose();
        upstream.Dispose();
        await origin;
        return response;
    }

    [Fact]
    public async Task BypassList_ClientSeesTheOriginsOwnCertificate()
    {
        await using var lab = new TlsStageHarness(Strict with { BypassSni = ["test"] });
        var origin = lab.ServeOriginOnceAsync();
        var (client, stage, accepted, upstream) = await lab.OpenAsync();
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(TlsStageHarness.Trusting(lab.OriginRoot, "www.test"));

        var result = await stage.RunAsync(CancellationToken.None);
        Assert.Equal("bypass", stage.Info.Outcome);
        Assert.Null(result.ClientLeg);
        Assert.False(result.ForwardFirst.IsEmpty);
        await upstream.SendAsync(result.ForwardFirst);
        var relay = TlsStageHarness.Relay(result, accepted, upstream, lab.Pool).RunAsync();
        await handshake;

        Assert.Equal(lab.OriginLeaf.Thumbprint, ((X509Certificate2)tls.RemoteCertificate!).Thumbprint);
        await tls.WriteAsync("ping"u8.ToArray());
        Assert.Equal("pong::ping", await ReadAllAsync(tls)); // no ALPN offered, none chosen
        await origin;
        await tls.ShutdownAsync();
        client.Shutdown(SocketShutdown.Send); // a plain relay ends on FINs, not on close_notify
        await relay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, lab.Inspector.GetStatistics().CertificatesMinted);
    }

    [Theory]
    [InlineData(NonTlsAction.Relay)]
    [InlineData(NonTlsAction.Drop)]
    public async Task NonTlsBytes_AreRelayedOrDroppedByProfile(NonTlsAction action)
    {
        await using var lab = new TlsStageHarness(Strict with { NonTls = action });
        var (client, stage, _, _) = await lab.OpenAsync();
        await client.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray());

        var result = await stage.RunAsync(CancellationToken.None);

        Assert.Equal("not-tls", stage.Info.Outcome);
        if (action == NonTlsAction.Relay)
        {
            Assert.True(result.Failure.IsNone);
            Assert.Equal("GET / HTTP/1.0\r\n\r\n", Encoding.ASCII.GetString(result.ForwardFirst.Span));
        }
        else
        {
            Assert.Equal(CloseKind.NotTls, result.Failure.Kind);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00 }, "invalid")] // a ServerHello
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0xff, 0xff, 0xff }, "")] // announces more than 16 KiB
    public async Task BadHello_EndsTheSessionWithAReason(byte[] hello, string expected)
    {
        await using var lab = new TlsStageHarness(Strict);
        var (client, stage, _, _) = await lab.OpenAsync();
        await client.SendAsync(hello);

        var result = await stage.RunAsync(CancellationToken.None);

        Assert.Equal(CloseKind.TlsHello, result.Failure.Kind);
        Assert.Equal("hello-error", stage.Info.Outcome);
        Assert.Contains(expected, stage.Info.Detail, StringComparison.Ordinal);
        Assert.Equal(1, lab.Inspector.GetStatistics().HelloErrors);
    }

    [Fact]
    public async Task TruncatedHello_TimesOut()
    {
        await using var lab = new TlsStageHarness(Strict);
        var inspector = lab.Inspector;
        var (client, stage, _, _) = await lab.OpenAsync();
        await client.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x01, 0x00, 0x01 });

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await stage.RunAsync(CancellationToken.None);

        Assert.Equal(CloseKind.TlsHello, result.Failure.Kind);
        Assert.StartsWith("timeout", stage.Info.Detail, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, inspector.Config.HelloTimeout - TimeSpan.FromMilliseconds(100), inspector.Config.HelloTimeout + TimeSpan.FromSeconds(2));
    }

    [Theory]
    [InlineData(new byte[] { 0x16 })] // one byte of some binary protocol that happens to be 0x16
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x05, 0x02, 0x00, 0x00, 0x01, 0x00 })] // a record, not a hello
    public async Task Detect_BytesThatAreNotAHello_AreRelayedAtOnce(byte[] first)
    {
        await using var lab = new TlsStageHarness(Strict, mode: TlsListenerMode.Detect);
        var (client, stage, _, _) = await lab.OpenAsync();
        await client.SendAsync(first);
        await Task.Delay(50);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await stage.RunAsync(CancellationToken.None);

        Assert.True(result.Failure.IsNone, stage.Info.Detail);
        Assert.Null(result.ClientLeg);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
        if (first.Length == 1)
        {
            // Not even read: the relay gets it from the socket.
            Assert.True(result.ForwardFirst.IsEmpty);
            Assert.Equal("plain", stage.Info.Outcome);
        }
        else
        {
            Assert.Equal(first, result.ForwardFirst.ToArray());
            Assert.Equal("not-tls", stage.Info.Outcome);
        }
    }

    [Fact]
    public async Task Detect_ServerSpeakingFirstIsRelayedPlain()
    {
        await using var lab = new TlsStageHarness(Strict, mode: TlsListenerMode.Detect);
        var serve = Task.Run(async () =>
        {
            using var s = await lab.AcceptOriginAsync();
            await s.SendAsync("220 smtp ready\r\n"u8.ToArray());
            await Task.Delay(500);
        });
        var (_, stage, _, _) = await lab.OpenAsync();

        var result = await stage.RunAsync(CancellationToken.None);

        Assert.True(result.Failure.IsNone);
        Assert.Null(result.ClientLeg);
        Assert.True(result.ForwardFirst.IsEmpty);
        Assert.Equal("plain", stage.Info.Outcome);
        await serve;
    }

    private static async Task<string> ReadAllAsync(Stream stream)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[256];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            memory.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(memory.ToArray());
    }
}
