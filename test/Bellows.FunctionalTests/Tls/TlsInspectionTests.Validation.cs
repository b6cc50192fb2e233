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
    /// later connections to that server are settled without a build against the full store: by the one root it
    /// chained to (trust anchor), or, as its certificates are the same, by the verdict kept for them (the blocked
    /// cases above run through the same paths and stay blocked).
    /// </summary>
    [Fact]
    public async Task RepeatedConnections_SettledWithoutAFullBuild()
    {
        long anchorsBefore = await TlsStatus.CounterAsync(fixture, "trust_anchor_hits");
        long verdictsBefore = await TlsStatus.CounterAsync(fixture, "verdict_cache_hits");
        long rebuildsBefore = await TlsStatus.CounterAsync(fixture, "chain_rebuilds");
        for (int i = 0; i < 3; i++)
        {
            await TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.Www, fixture.Lab.Options.BellowsCaPath);
        }

        long anchors = await TlsStatus.CounterAsync(fixture, "trust_anchor_hits") - anchorsBefore;
        long verdicts = await TlsStatus.CounterAsync(fixture, "verdict_cache_hits") - verdictsBefore;
        long rebuilds = await TlsStatus.CounterAsync(fixture, "chain_rebuilds") - rebuildsBefore;
        string counters = $"3 connections to {LabOriginNames.Www}: trust_anchor_hits +{anchors}, verdict_cache_hits +{verdicts}, chain_rebuilds +{rebuilds}";
        Assert.True(verdicts >= 1, counters);
        Assert.True(anchors + verdicts >= 2, counters);
        Assert.True(rebuilds <= 1, counters);
        Assert.InRange(await TlsStatus.CounterAsync(fixture, "trust_anchors"), 1, 64);
        Assert.InRange(await TlsStatus.CounterAsync(fixture, "verdicts_cached"), 1, 10_000);
    }
}
