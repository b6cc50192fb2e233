// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text.RegularExpressions;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>Runs wrk in the client namespace and reads its summary.</summary>
public static partial class Wrk
{
    public static Task<WrkResult> RunAsync(NetworkNamespace ns, string url, int threads, int connections, int seconds,
        bool closeEachRequest, CancellationToken cancellationToken) =>
        RunAsync(ns, url, threads, connections, seconds, closeEachRequest, null, cancellationToken);

    /// <param name="preload">A library for LD_PRELOAD (<see cref="WrkNoResume"/>), or null.</param>
    public static async Task<WrkResult> RunAsync(NetworkNamespace ns, string url, int threads, int connections, int seconds,
        bool closeEachRequest, string? preload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var inv = CultureInfo.InvariantCulture;
        var command = new List<string> { "netns", "exec", ns.Name };
        if (preload is not null)
        {
            command.AddRange(["env", "LD_PRELOAD=" + preload]);
        }

        command.AddRange(
        [
            "wrk",
            "-t" + threads.ToString(inv), "-c" + connections.ToString(inv), "-d" + seconds.ToString(inv) + "s",
            "--timeout", "5s",
        ]);
        if (closeEachRequest)
        {
            command.AddRange(["-H", "Connection: close"]);
        }

        command.Add(url);
        var result = await CommandRunner.RunAsync("ip", command, TimeSpan.FromSeconds(seconds + 30), null, cancellationToken).ConfigureAwait(false);
        result.EnsureSuccess();
        return Parse(result.StandardOutput, result.Elapsed);
    }

    public static WrkResult Parse(string output, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rate = RateRegex().Match(output);
        var total = TotalRegex().Match(output);
        if (!rate.Success || !total.Success)
        {
            throw new BenchmarkException("cannot read wrk's output:\n" + output);
        }

        long errors = 0;
        var socketErrors = SocketErrorsRegex().Match(output);
        if (socketErrors.Success)
        {
            for (int i = 1; i <= 4; i++)
            {
                errors += long.Parse(socketErrors.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        var bad = BadResponsesRegex().Match(output);
        return new WrkResult(
            double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture),
            errors,
            bad.Success ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            elapsed);
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateRegex();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex TotalRegex();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsRegex();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex BadResponsesRegex();
}
