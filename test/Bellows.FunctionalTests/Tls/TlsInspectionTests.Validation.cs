// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>Upstream certificate checks with the default profile: every problem blocks.</summary>
public partial class TlsInspectionTests
{
    [Theory]
    [InlineData(LabOriginNames.Expired)]
    [InlineData(LabOriginNames.WrongName)]
    [InlineData(LabOriginNames.SelfSigned)]
    [InlineData(LabOriginNames.Revoked)]
    public Task UpstreamCertificateProblem_Default_Blocked(string name) => TlsVerdicts.AssertBlockedAsync(fixture, name);

    /// <summary>good-ocsp.lab.test: the responder says good; www.lab.test has no OCSP URL (unknown passes soft-fail).</summary>
    [Theory]
    [InlineData(LabOriginNames.GoodOcsp)]
    [InlineData(LabOriginNames.Www)]
    public async Task ValidUpstream_Default_AllowedAndTrustedThroughBellowsCa(string name)
    {
        await TlsVerdicts.AssertAllowedAsync(fixture, name, fixture.Lab.Options.BellowsCaPath);
        if (name == LabOriginNames.GoodOcsp)
        {
            // Really checked: the responder answered in time (RevocationUnknown would pass soft-fail too).
            await fixture.WaitForSessionLineAsync($"sni={name} ", "verdict=\"ok\"");
        }
    }

    /// <summary>
    /// A revocation check right after another one is answered in time. It used not to be, in about half the runs:
    /// the chain build waited on an epoll thread for the OCSP answer whose socket belonged to that same event
    /// loop, so it always ran into the 3 s timeout (see <see cref="SilentOcspResponder_StallsOnlyItsOwnSession"/>).
    /// </summary>
    [Fact]
    public async Task RevocationChecks_OneAfterAnother_AllAnswered()
    {
        string good = $"sni={LabOriginNames.GoodOcsp} ";
        int before = fixture.SessionLines(good).Count;
        await TlsVerdicts.AssertBlockedAsync(fixture, LabOriginNames.Revoked);
        await TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.GoodOcsp, fixture.Lab.Options.BellowsCaPath);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fixture.SessionLines(good).Count == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("verdict=\"ok\"", fixture.SessionLines(good)[^1], StringComparison.Ordinal);
    }

    /// <summary>
    /// This lab trusts the system's roots plus the origin CA: once a chain has been validated against all of them,
    /// later connections to that server are validated against the one root it chained to (the blocked cases above
    /// run through the same path and stay blocked).
    /// </summary>
    [Fact]
    public async Task RepeatedConnections_ValidatedThroughTheLearnedAnchor()
    {
        long before = await TlsStatus.CounterAsync(fixture, "trust_anchor_hits");
        for (int i = 0; i < 3; i++)
        {
            await TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.Www, fixture.Lab.Options.BellowsCaPath);
        }

        long after = await TlsStatus.CounterAsync(fixture, "trust_anchor_hits");
        Assert.True(after - before >= 2, $"3 connections to {LabOriginNames.Www}: trust_anchor_hits went {before} -> {after}");
        Assert.InRange(await TlsStatus.CounterAsync(fixture, "trust_anchors"), 1, 64);
    }
}
