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

    /// <summary>www.lab.test names no revocation source at all (no OCSP URL, no CRL): unknown, so blocked.</summary>
    /// <remarks>
    /// The lab's live responder (good-ocsp.lab.test) is left out on purpose: seen from `bellows lab`, a check soon
    /// after another one sometimes waits out the 3 s revocation timeout, and hard-fail would block it.
    /// </remarks>
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
