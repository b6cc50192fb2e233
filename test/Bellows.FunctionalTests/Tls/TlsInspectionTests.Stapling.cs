// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// Upstream revocation from a stapled OCSP response, with the default profile (soft-fail). Each origin is an
/// `openssl s_server` whose leaf names an OCSP responder that is down, so Bellows can learn the status only from
/// the staple. No staple shows that the test can tell the difference: the status is then unknown.
/// </summary>
public partial class TlsInspectionTests
{
    [Fact]
    public async Task OcspStaple_NoneWithResponderDown_AllowedAsRevocationUnknown()
    {
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "staple-none.lab.test", 7041, OcspStaple.None);
        await TlsStapling.AssertAllowedAsync(fixture, origin, "RevocationUnknown");
    }

    [Fact]
    public async Task OcspStaple_GoodWithResponderDown_AllowedAsOk()
    {
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "staple-good.lab.test", 7042, OcspStaple.Good);
        await TlsStapling.AssertAllowedAsync(fixture, origin, "ok");
    }

    [Fact]
    public async Task OcspStaple_RevokedWithResponderDown_BlockedAsRevoked()
    {
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "staple-revoked.lab.test", 7043, OcspStaple.Revoked);
        await TlsStapling.AssertBlockedAsync(fixture, origin, "Revoked");
    }
}
