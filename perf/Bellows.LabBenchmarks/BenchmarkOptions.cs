// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;

namespace Bellows.LabBenchmarks;

/// <summary>How long and how often to measure; parsed from the command line.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage = """
        usage: Bellows.LabBenchmarks [--quick] [--runs N] [--seconds S] [--idle-connections N] [--only LIST] [--prefix P] [--output FILE]
                                     [--tls-paths LIST] [--squid-workers LIST] [--wrk-nice N]
          --quick               1 run of 3 s per test (a smoke run; the numbers are noisy)
          --runs N              runs per test, the report shows medians (default 3)
          --seconds S           duration of each iperf3 and wrk run (default 8)
          --idle-connections N  idle connections for the memory test (default 9000)
          --only LIST           run only some tests: bulk, conn, keepalive, idle (comma-separated); or tls alone: the TLS suite
          --tls-paths LIST      TLS suite: which paths, of routed, squid, bellows, bellows-revocation (default all four)
          --squid-workers LIST  TLS suite: one Squid path per entry, with that many workers (default 1: squid -N, no SMP kids)
          --wrk-nice N          TLS suite: niceness of wrk (default 19; wrk busy-polls during handshakes, see docs/benchmarks.md)
          --prefix P            lab prefix: namespaces P-cli, P-gw, P-srv (default bn)
          --output FILE         write the markdown report to FILE instead of printing it
        """;

    public string Prefix { get; init; } = "bn";

    public int Runs { get; init; } = 3;

    public int Seconds { get; init; } = 8;

    public int IdleConnections { get; init; } = 9000;

    public int WrkThreads { get; init; } = 2;

    public int WrkConnections { get; init; } = 32;

    public string? OutputPath { get; init; }

    public BenchmarkTests Tests { get; init; } = BenchmarkTests.All;

    /// <summary>
    /// The TLS suite's paths: routed, squid, bellows, and bellows-revocation (Bellows with its default
    /// revocation checks, soft-fail, against an origin whose leaf names an OCSP responder).
    /// </summary>
    public IReadOnlyList<string> TlsPaths { get; init; } = ["routed", "squid", "bellows", "bellows-revocation"];

    /// <summary>
    /// The niceness of wrk in the TLS suite. wrk busy-polls while its TLS handshakes wait for the other end, so at
    /// normal priority it takes CPU from the path it measures in proportion to that path's latency.
    /// </summary>
    public int TlsWrkNice { get; init; } = 19;

    /// <summary>The TLS suite measures one Squid per entry, with that many workers.</summary>
    public IReadOnlyList<int> SquidWorkers { get; init; } = [1];

    /// <exception cref="ArgumentException">An unknown option or a bad value.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchmarkOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options with { Runs = 1, Seconds = 3 },
                "--runs" => options with { Runs = Number(args[i], Next(), 1, 21) },
                "--seconds" => options with { Seconds = Number(args[i], Next(), 1, 120) },
                "--idle-connections" => options with { IdleConnections = Number(args[i], Next(), 100, 9900) },
                "--prefix" => options with { Prefix = Next() },
                "--output" => options with { OutputPath = Next() },
                "--only" => options with { Tests = ParseTests(Next()) },
                "--tls-paths" => options with { TlsPaths = ParseTlsPaths(Next()) },
                "--squid-workers" => options with { SquidWorkers = ParseWorkers(args[i], Next()) },
                "--wrk-nice" => options with { TlsWrkNice = Number(args[i], Next(), 0, 19) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (options.Tests.HasFlag(BenchmarkTests.Tls) && options.Tests != BenchmarkTests.Tls)
        {
            throw new ArgumentException("--only tls runs the TLS suite on its own: do not combine it with other tests");
        }

        return options;
    }

    private static int[] ParseWorkers(string name, string list)
    {
        var counts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => Number(name, n, 1, 8)).Distinct().ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException($"{name} needs at least one number");
    }

    private static string[] ParseTlsPaths(string list)
    {
        var paths = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string path in paths)
        {
            if (path is not ("routed" or "squid" or "bellows" or "bellows-revocation"))
            {
                throw new ArgumentException($"--tls-paths takes routed, squid, bellows and bellows-revocation, not '{path}'");
            }
        }

        return paths.Length > 0 ? paths : throw new ArgumentException("--tls-paths needs at least one path");
    }

    private static BenchmarkTests ParseTests(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Aggregate(BenchmarkTests.None, (tests, name) => tests | name switch
        {
            "bulk" => BenchmarkTests.Bulk,
            "conn" => BenchmarkTests.Connections,
            "keepalive" => BenchmarkTests.KeepAlive,
            "idle" => BenchmarkTests.Idle,
            "tls" => BenchmarkTests.Tls,
            _ => throw new ArgumentException($"--only takes bulk, conn, keepalive, idle and tls, not '{name}'"),
        });

    private static int Number(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} takes a number from {min} to {max}");
}
