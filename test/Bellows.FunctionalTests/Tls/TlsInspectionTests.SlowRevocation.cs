// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Globalization;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// A revocation check blocks the thread that builds the chain until the responder answers or the revocation
/// timeout (3 s) passes. That must cost only the session that waits for it: with socket continuations inline on
/// the epoll threads (as the lab runs Bellows), a check made there froze every socket of that event loop,
/// other sessions, the listener, and the check's own HTTP request to the responder alike.
/// </summary>
public partial class TlsInspectionTests
{
    private const int SilentOcspPort = 8890;
    private const int ParallelSessions = 8;

    [Fact]
    public async Task SilentOcspResponder_StallsOnlyItsOwnSession()
    {
        await using var silent = await SilentTcpServer.StartAsync(fixture.Lab.Topology.Server, SilentOcspPort);
        await using var origin = await StapledTlsOrigin.StartAsync(fixture, "silent-ocsp.lab.test", 7044, OcspStaple.None,
            $"http://{TlsClients.ServerV4}:{SilentOcspPort}/");

        var watch = Stopwatch.StartNew();
        var waiting = Client.RunAsync(
            ["curl", "-sS", "--max-time", "20", "--http1.1", "--resolve", $"{origin.Name}:{origin.Port}:{TlsClients.ServerV4}", "--cacert", BellowsCa, origin.Url],
            TimeSpan.FromSeconds(30));

        // Bounded: the check is under way once Bellows holds a connection to the responder.
        for (int i = 0; i < 100 && await silent.ConnectionsAsync() == 0 && !waiting.IsCompleted; i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await silent.ConnectionsAsync() > 0, $"Bellows never asked the silent responder ({watch.Elapsed.TotalSeconds:F1} s)");

        // Meanwhile: new sessions to another name are served as fast as ever (a stalled one would take the
        // rest of the 3 s timeout). Several at once, so that each event loop gets some of their sockets.
        var others = await Task.WhenAll(Enumerable.Range(0, ParallelSessions).Select(_ =>
            TlsClients.CurlAsync(Client, LabOriginNames.Www, BellowsCa, "/", null, "-o", "/dev/null", "-w", "%{time_total}")));
        var stillWaiting = !waiting.IsCompleted;
        foreach (var other in others)
        {
            Assert.True(other.Succeeded, $"curl exit {other.ExitCode}: {other.StandardError}");
        }

        var seconds = others.Select(o => double.Parse(o.StandardOutput.Trim(), CultureInfo.InvariantCulture)).ToList();
        Assert.True(seconds.Max() < 1.5, $"sessions during the check took {string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))} s");
        Assert.True(stillWaiting, $"the check ended before the other sessions did ({watch.Elapsed.TotalSeconds:F1} s): the test proves nothing");

        // The waiting session itself: allowed (soft-fail) once the timeout passed, as unknown.
        var result = await waiting;
        Assert.True(result.Succeeded, $"curl exit {result.ExitCode}: {result.StandardError}");
        Assert.Equal(origin.Page, result.StandardOutput);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.5), $"the check took only {watch.Elapsed.TotalSeconds:F1} s: it did not wait for the responder");
        string line = await fixture.WaitForSessionLineAsync($"dst={TlsClients.ServerV4}:{origin.Port} ", $"sni={origin.Name} ", "tls=inspect");
        Assert.Contains(" verdict=\"RevocationUnknown\" ", line, StringComparison.Ordinal);
        await fixture.AssertQuiescentAsync();
    }
}
