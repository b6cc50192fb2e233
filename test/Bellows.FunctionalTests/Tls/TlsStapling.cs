// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Processes;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// A client fetching a page from a <see cref="StapledTlsOrigin"/> through Bellows (the port is one the plain
/// listener inspects with tls: detect), and what the session log says about the upstream revocation status.
/// </summary>
internal static class TlsStapling
{
    /// <summary>
    /// The page arrives, with the client trusting only Bellows' CA, and the session's verdict is exactly
    /// <paramref name="verdict"/> ("ok", "RevocationUnknown").
    /// </summary>
    public static async Task AssertAllowedAsync(LabFixture fixture, StapledTlsOrigin origin, string verdict)
    {
        var result = await CurlAsync(fixture, origin, fixture.Lab.Options.BellowsCaPath);
        Assert.True(result.Succeeded, $"{origin.Name}: curl exit {result.ExitCode}: {result.StandardError}\n{Log(fixture)}");
        Assert.Equal(origin.Page, result.StandardOutput);
        string line = await fixture.WaitForSessionLineAsync($"dst={TlsClients.ServerV4}:{origin.Port} ", $"sni={origin.Name} ", "tls=inspect");
        Assert.True(line.Contains($" verdict=\"{verdict}\" ", StringComparison.Ordinal), $"{origin.Name}: expected verdict \"{verdict}\":\n{line}");
    }

    /// <summary>
    /// Bellows stops the request (curl -k: only Bellows can be what stops it), and the session log names
    /// <paramref name="problem"/> in the verdict of a blocked session.
    /// </summary>
    public static async Task AssertBlockedAsync(LabFixture fixture, StapledTlsOrigin origin, string problem)
    {
        var result = await CurlAsync(fixture, origin, null);
        Assert.False(result.Succeeded, $"{origin.Name}: curl -k succeeded, so Bellows let it through:\n{result.StandardOutput}");
        Assert.DoesNotContain(origin.Page, result.StandardOutput, StringComparison.Ordinal);
        string line = await fixture.WaitForSessionLineAsync($"dst={TlsClients.ServerV4}:{origin.Port} ", $"sni={origin.Name} ", "tls=blocked");
        Assert.True(line.Contains(problem, StringComparison.Ordinal), $"{origin.Name}: blocked, but not for {problem}:\n{line}");
        await fixture.AssertQuiescentAsync();
    }

    private static Task<CommandResult> CurlAsync(LabFixture fixture, StapledTlsOrigin origin, string? caFile) =>
        fixture.Lab.Topology.Client.RunAsync(
            [
                "curl", "-sS", "--max-time", "20", "--http1.1", "--resolve", $"{origin.Name}:{origin.Port}:{TlsClients.ServerV4}",
                .. caFile is null ? ["-k"] : new[] { "--cacert", caFile },
                origin.Url,
            ],
            TimeSpan.FromSeconds(30));

    private static string Log(LabFixture fixture) => string.Join('\n', fixture.Bellows.Output.TakeLast(10));
}
