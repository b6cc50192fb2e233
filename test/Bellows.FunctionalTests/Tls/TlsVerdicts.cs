// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Servers;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>What a client sees when Bellows blocks, allows or warns about an upstream certificate.</summary>
internal static class TlsVerdicts
{
    /// <summary>
    /// The request never reaches the origin. curl runs with -k (it accepts any certificate), so only Bellows can
    /// be what stops it; then every session and buffer is released.
    /// </summary>
    public static async Task AssertBlockedAsync(LabFixture fixture, string name)
    {
        var result = await TlsClients.CurlAsync(fixture.Lab.Topology.Client, name, null);
        Assert.False(result.Succeeded, $"{name}: curl -k succeeded (exit 0), so Bellows let it through:\n{result.StandardOutput}");
        Assert.DoesNotContain(LabTlsServer.Greeting, result.StandardOutput, StringComparison.Ordinal);

        // The session log names the problem the lab built into this name's certificate.
        await fixture.WaitForSessionLineAsync($"sni={name} ", "tls=blocked", ExpectedProblem(name));
        await fixture.AssertQuiescentAsync();
    }

    /// <summary>
    /// The origin's page arrives. With -k (<paramref name="caFile"/> null) only Bellows' decision is tested, not
    /// which certificate it shows the client.
    /// </summary>
    public static async Task AssertAllowedAsync(LabFixture fixture, string name, string? caFile = null)
    {
        var result = await TlsClients.CurlAsync(fixture.Lab.Topology.Client, name, caFile);
        Assert.True(result.Succeeded, $"{name}: curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(LabTlsServer.Greeting, result.StandardOutput);
    }

    /// <summary>The word for each certificate problem in the session log's verdict.</summary>
    public static string ExpectedProblem(string name) => name switch
    {
        LabOriginNames.Expired => "Expired",
        LabOriginNames.WrongName => "NameMismatch",
        LabOriginNames.SelfSigned => "SelfSigned",
        LabOriginNames.Revoked => "Revoked",
        _ => throw new ArgumentException($"{name} has no certificate problem", nameof(name)),
    };

    /// <summary>on_failure warn: an HTTP client gets an HTML page from Bellows instead of the origin's answer.</summary>
    public static async Task AssertWarningPageAsync(LabFixture fixture, string name)
    {
        var result = await TlsClients.CurlAsync(fixture.Lab.Topology.Client, name, null, "/", null, "-w", "\nhttp_code=%{http_code}");
        Assert.True(result.Succeeded, $"{name}: curl exit {result.ExitCode}: {result.StandardError}");
        Assert.DoesNotContain(LabTlsServer.Greeting, result.StandardOutput, StringComparison.Ordinal);
        Assert.True(result.StandardOutput.Contains("<html", StringComparison.OrdinalIgnoreCase), $"{name}: no HTML warning page:\n{result.StandardOutput}");
    }
}
