// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>on_failure warn: each upstream problem gives an HTTP client Bellows' HTML warning page.</summary>
public partial class TlsWarnTests(TlsWarnLab fixture) : IClassFixture<TlsWarnLab>
{
    [Theory]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    [InlineData(LabOriginNames.SelfSigned)]
    public Task UpstreamCertificateProblem_Warn_HtmlWarningPage(string name) => TlsVerdicts.AssertWarningPageAsync(fixture, name);

    /// <summary>A revoked certificate is never forgiven: no warning page (so no override link), the session is reset.</summary>
    [Fact]
    public Task RevokedUpstream_Warn_StillBlocked() => TlsVerdicts.AssertBlockedAsync(fixture, LabOriginNames.Revoked);

    [Fact]
    public Task ValidUpstream_Warn_OriginPageAsUsual() =>
        TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.Www, fixture.Lab.Options.BellowsCaPath);
}

/// <summary>
/// allow_self_signed and revocation off: self-signed and revoked pass, expired and wrong-name are still blocked;
/// non_tls drop resets plain text on a TLS port.
/// </summary>
public class TlsAllowSelfSignedTests(TlsAllowSelfSignedLab fixture) : IClassFixture<TlsAllowSelfSignedLab>
{
    [Theory]
    [InlineData(LabOriginNames.SelfSigned)]
    [InlineData(LabOriginNames.Revoked)]
    public Task MatchingAllowance_Allowed(string name) => TlsVerdicts.AssertAllowedAsync(fixture, name);

    [Theory]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    public Task OtherProblems_StillBlocked(string name) => TlsVerdicts.AssertBlockedAsync(fixture, name);

    [Fact]
    public async Task NonTlsBytes_OnTlsPort_ResetWithNonTlsDrop()
    {
        using var socket = await ClientSockets.ConnectAsync(fixture.Lab.Topology.Client, new(LabTopology.ServerV4, LabLineServer.Port));
        await socket.SendAsync("hello\n"u8.ToArray(), SocketFlags.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[256];
        var error = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Fail($"got {n} bytes (a FIN when 0) instead of a reset: {System.Text.Encoding.ASCII.GetString(buffer, 0, n)}");
        });
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        await fixture.AssertQuiescentAsync();
    }
}

/// <summary>allow_invalid_certs: expired and wrong-name pass; self-signed and revoked are still blocked.</summary>
public class TlsAllowInvalidTests(TlsAllowInvalidLab fixture) : IClassFixture<TlsAllowInvalidLab>
{
    [Theory]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    public Task MatchingAllowance_Allowed(string name) => TlsVerdicts.AssertAllowedAsync(fixture, name);

    /// <summary>The minted certificate is good for the client even though the origin's is not (Bellows took the risk).</summary>
    [Theory]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    public Task MatchingAllowance_ClientTrustsBellowsCertificate(string name) =>
        TlsVerdicts.AssertAllowedAsync(fixture, name, fixture.Lab.Options.BellowsCaPath);

    [Theory]
    [InlineData(LabOriginNames.SelfSigned)]
    [InlineData(LabOriginNames.Revoked)]
    public Task OtherProblems_StillBlocked(string name) => TlsVerdicts.AssertBlockedAsync(fixture, name);
}
