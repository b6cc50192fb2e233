// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// revocation hard-fail: a certificate whose status cannot be learnt is blocked; a good stapled OCSP response
/// is enough on its own (its responder is down).
/// </summary>
public class TlsHardFailTests(TlsHardFailLab fixture) : IClassFixture<TlsHardFailLab>
{
    [Fact]
    public async Task OcspStaple_NoneWithResponderDown_HardFail_BlockedAsRevocationUnknown()
    {
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "staple-none.lab.test", 7041, OcspStaple.None);
        await TlsStapling.AssertBlockedAsync(fixture, origin, "RevocationUnknown");
    }

    [Fact]
    public async Task OcspStaple_GoodWithResponderDown_HardFail_AllowedAsOk()
    {
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "staple-good.lab.test", 7042, OcspStaple.Good);
        await TlsStapling.AssertAllowedAsync(fixture, origin, "ok");
    }

    /// <summary>
    /// The lab's live responder says good: allowed under hard-fail. (Left out until the revocation check moved off
    /// the socket event loop: a check there sometimes waited out its own answer, and hard-fail blocked it.)
    /// </summary>
    [Fact]
    public async Task LiveResponderSaysGood_HardFail_AllowedAsOk()
    {
        await TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.GoodOcsp, fixture.Lab.Options.BellowsCaPath);
        string line = await fixture.WaitForSessionLineAsync($"sni={LabOriginNames.GoodOcsp} ", "tls=inspect");
        Assert.Contains(" verdict=\"ok\" ", line, StringComparison.Ordinal);
    }

    /// <summary>www.lab.test names no revocation source at all (no OCSP URL, no CRL): unknown, so blocked.</summary>
    [Fact]
    public async Task NoRevocationSource_HardFail_BlockedAsRevocationUnknown()
    {
        var result = await TlsClients.CurlAsync(fixture.Lab.Topology.Client, LabOriginNames.Www, null);
        Assert.False(result.Succeeded, $"www.lab.test (no OCSP URL, no CRL) passed hard-fail:\n{result.StandardOutput}");
        Assert.DoesNotContain(LabTlsServer.Greeting, result.StandardOutput, StringComparison.Ordinal);
        await fixture.WaitForSessionLineAsync($"sni={LabOriginNames.Www} ", "tls=blocked", "RevocationUnknown");
        await fixture.AssertQuiescentAsync();
    }
}
