// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text.RegularExpressions;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>Runs wrk in the client namespace and reads its summary, and the CPU time wrk used.</summary>
public static partial class Wrk
{
    /// <summary>
    /// Runs the command given as arguments, then prints the CPU time of the children this shell waited for (fields 16
    /// and 17 of /proc/self/stat, cutime and cstime, in clock ticks): wrk's CPU, however many threads it had.
    /// </summary>
    private const string CpuReportingShell =
        "\"$@\"; rc=$?; echo \"wrk-child-cpu-ticks $(cut -d' ' -f16,17 /proc/$$/stat) $(getconf CLK_TCK)\" >&2; exit $rc";

    public static Task<WrkResult> RunAsync(NetworkNamespace ns, string url, int threads, int connections, int seconds,
        bool closeEachRequest, CancellationToken cancellationToken) =>
        RunAsync(ns, url, threads, connections, seconds, closeEachRequest, null, 0, cancellationToken);

    /// <param name="preload">A library for LD_PRELOAD (<see cref="WrkNoResume"/>), or null.</param>
    /// <param name="nice">The niceness wrk runs at (0: as the harness). The TLS suite uses 19: wrk busy-polls while a
    /// handshake is in flight (docs/benchmarks.md), and must not take that CPU from the path it measures.</param>
    public static async Task<WrkResult> RunAsync(NetworkNamespace ns, string url, int threads, int connections, int seconds,
        bool closeEachRequest, string? preload, int nice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var inv = CultureInfo.InvariantCulture;
        var command = new List<string> { "netns", "exec", ns.Name, "sh", "-c", CpuReportingShell, "sh" };
        if (preload is not null)
        {
            command.AddRange(["env", "LD_PRELOAD=" + preload]);
        }

        if (nice != 0)
        {
            command.AddRange(["nice", "-n", nice.ToString(inv)]);
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
        return Parse(result.StandardOutput, result.Elapsed) with { ClientCpu = ParseChildCpu(result.StandardError) };
    }

    /// <summary>The CPU time <see cref="CpuReportingShell"/> reported, or null if it did not.</summary>
    public static TimeSpan? ParseChildCpu(string standardError)
    {
        var match = ChildCpuRegex().Match(standardError ?? "");
        if (!match.Success)
        {
            return null;
        }

        long ticks = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((double)ticks / long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
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

    [GeneratedRegex(@"wrk-child-cpu-ticks (\d+) (\d+) (\d+)")]
    private static partial Regex ChildCpuRegex();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex BadResponsesRegex();
}
