// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Text.RegularExpressions;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// The warning page's override, end to end with curl: the page offers a one-time accept link; following it
/// redirects (303) to the page first asked for; the origin then answers through Bellows' minted certificate
/// until the override duration has passed, and then the warning page is back.
/// </summary>
public partial class TlsWarnTests
{
    private const string AskedPath = "/whoami";

    [Fact]
    public async Task WarningPage_AcceptLink_OverridesForDurationThenWarnsAgain()
    {
        // Only this test uses overrides in this lab, and it ends after the override has expired: the page tests
        // for the same name still see their warning.
        const string name = LabOriginNames.Expired;
        var duration = TimeSpan.FromSeconds(TlsWarnLab.OverrideSeconds);

        // 1. The warning page, with the accept link.
        var first = await RequestAsync(name, AskedPath);
        Assert.True(first.Code == 403, $"first request: HTTP {first.Code}, expected the 403 warning page:\n{first.Body}");
        string link = AcceptLink(first.Body);

        // 2. The link records the override and sends the client back to the page it asked for.
        long acceptSent = Stopwatch.GetTimestamp();
        var accept = await fixture.Lab.Topology.Client.RunAsync(
            ["curl", "-sS", "--max-time", "20", "--http1.1", "--resolve", $"{name}:443:{TlsClients.ServerV4}", "--cacert", BellowsCa,
             "-D", "-", "-o", "/dev/null", $"https://{name}{link}"],
            TimeSpan.FromSeconds(30));
        Assert.True(accept.Succeeded, $"accept link: curl exit {accept.ExitCode}: {accept.StandardError}");
        Assert.Matches(@"^HTTP/1\.1 303 ", accept.StandardOutput);
        var location = LocationHeader().Match(accept.StandardOutput);
        Assert.True(location.Success && location.Groups[1].Value == AskedPath, $"accept link: no redirect to {AskedPath}:\n{accept.StandardOutput}");

        // 3. Accepted: the origin answers (nat auto: it sees the gateway), through a certificate the client trusts.
        var allowed = await RequestAsync(name, AskedPath);
        Assert.True(allowed.Code == 200 && allowed.Body.StartsWith(LabTopology.GatewayServerSideV4 + ":", StringComparison.Ordinal),
            $"after accepting ({Since(acceptSent):F1} s): HTTP {allowed.Code}, expected the origin's {AskedPath}:\n{allowed.Body}");
        string line = await fixture.WaitForSessionLineAsync($"sni={name} ", "tls=inspect", " overridden\"");
        Assert.Contains("Expired", line, StringComparison.Ordinal);

        // 4. Until the duration has passed the origin answers; then the warning is back. Polled, bounded in time
        //    and count; the warning may not come back before the override was even asked for plus the duration.
        double warnedAfter = double.NaN;
        for (int poll = 0; poll < 100 && Since(acceptSent) < duration.TotalSeconds + 15; poll++)
        {
            var response = await RequestAsync(name, AskedPath);
            if (response.Code == 403)
            {
                warnedAfter = Since(acceptSent);
                AcceptLink(response.Body);
                break;
            }

            Assert.True(response.Code == 200, $"poll {poll} ({Since(acceptSent):F1} s after accepting): HTTP {response.Code}:\n{response.Body}");
            await Task.Delay(200);
        }

        Assert.False(double.IsNaN(warnedAfter), $"no warning page within {duration.TotalSeconds + 15} s of accepting an override of {duration.TotalSeconds} s");
        Assert.True(warnedAfter >= duration.TotalSeconds, $"warning page back {warnedAfter:F2} s after accepting: the override lasted less than {duration.TotalSeconds} s");

        // 5. The token was for one use: followed again, it is not accepted (a fresh warning, no redirect).
        var reused = await RequestAsync(name, link);
        Assert.True(reused.Code == 403, $"used accept link followed again: HTTP {reused.Code}:\n{reused.Body}");
        Assert.NotEqual(link, AcceptLink(reused.Body));
        await fixture.AssertQuiescentAsync();
    }

    private string BellowsCa => fixture.Lab.Options.BellowsCaPath;

    private static double Since(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;

    /// <summary>One curl request trusting only Bellows' CA (the warning page and the relayed page both come with Bellows' certificate).</summary>
    private async Task<(int Code, string Body)> RequestAsync(string name, string path)
    {
        var result = await TlsClients.CurlAsync(fixture.Lab.Topology.Client, name, BellowsCa, path, null, "-w", "\nhttp_code=%{http_code}");
        Assert.True(result.Succeeded, $"{name}{path}: curl exit {result.ExitCode}: {result.StandardError}");
        int at = result.StandardOutput.LastIndexOf("\nhttp_code=", StringComparison.Ordinal);
        Assert.True(at >= 0, result.StandardOutput);
        return (int.Parse(result.StandardOutput.AsSpan(at + 11), System.Globalization.CultureInfo.InvariantCulture), result.StandardOutput[..at]);
    }

    private static string AcceptLink(string page)
    {
        Assert.Contains("<html", page, StringComparison.OrdinalIgnoreCase);
        var match = AcceptHref().Match(page);
        Assert.True(match.Success, $"no accept link in the warning page:\n{page}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("href=\"(/\\.bellows/accept/[0-9a-f]{32})\"")]
    private static partial Regex AcceptHref();

    [GeneratedRegex(@"^Location: (\S+)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex LocationHeader();
}
