// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
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
}
