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
    public Task ValidUpstream_Default_AllowedAndTrustedThroughBellowsCa(string name) =>
        TlsVerdicts.AssertAllowedAsync(fixture, name, fixture.Lab.Options.BellowsCaPath);
}
