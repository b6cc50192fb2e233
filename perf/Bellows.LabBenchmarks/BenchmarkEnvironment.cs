// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Bellows.Lab.Processes;

namespace Bellows.LabBenchmarks;

/// <summary>The machine and tool versions a report was measured with.</summary>
public sealed partial record BenchmarkEnvironment(
    string Kernel,
    string Cpu,
    int Cores,
    long OpenFilesHardLimit,
    string Runtime,
    string Revision,
    string HaproxyVersion,
    string NginxVersion,
    string WrkVersion,
    string IperfVersion)
{
    private static readonly string[] s_tools = ["ip", "nft", "ss", "haproxy", "nginx", "wrk", "iperf3"];

    /// <summary>Checks that every tool is installed and reads versions; throws naming what is missing.</summary>
    public static async Task<BenchmarkEnvironment> ProbeAsync()
    {
        var missing = new List<string>();
        foreach (string tool in s_tools)
        {
            var which = await CommandRunner.RunAsync("/bin/sh", ["-c", "command -v " + tool], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            if (!which.Succeeded)
            {
                missing.Add(tool);
            }
        }

        if (missing.Count > 0)
        {
            throw new BenchmarkException($"missing tools: {string.Join(", ", missing)} (bench/run.sh installs them)");
        }

        var haproxy = await FirstLineAsync("haproxy", "-v").ConfigureAwait(false);
        return new BenchmarkEnvironment(
            Kernel: File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
            Cpu: CpuModel(),
            Cores: Environment.ProcessorCount,
            OpenFilesHardLimit: ReadOpenFilesHardLimit(),
            Runtime: RuntimeInformation.FrameworkDescription,
            Revision: Environment.GetEnvironmentVariable("BELLOWS_BENCH_REVISION") is { Length: > 0 } revision ? revision : "unknown",
            HaproxyVersion: VersionRegex().Match(haproxy) is { Success: true } m ? m.Value : haproxy,
            NginxVersion: await FirstLineAsync("nginx", "-v").ConfigureAwait(false),
            WrkVersion: await FirstLineAsync("wrk", "-v").ConfigureAwait(false),
            IperfVersion: await FirstLineAsync("iperf3", "--version").ConfigureAwait(false));
    }

    private static async Task<string> FirstLineAsync(string tool, string argument)
    {
        var result = await CommandRunner.RunAsync(tool, [argument], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        string text = result.StandardOutput.Trim().Length > 0 ? result.StandardOutput : result.StandardError;
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "?";
    }

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
            : "unknown";

    /// <summary>The hard "Max open files" limit of this process; its children (HAProxy) inherit it.</summary>
    private static long ReadOpenFilesHardLimit()
    {
        var line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[1] == "unlimited" ? long.MaxValue : long.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\d+\.\d+\.\d+")]
    private static partial Regex VersionRegex();
}
