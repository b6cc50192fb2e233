// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>iperf3: the server in one namespace, clients run from another; results read from its JSON (-J).</summary>
public static class Iperf
{
    public const int Port = 5201;

    public static async Task<ToolProcess> StartServerAsync(NetworkNamespace ns)
    {
        var server = ToolProcess.Start(ns, "iperf3 server", ["iperf3", "-s", "-p", Port.ToString(CultureInfo.InvariantCulture)]);
        await ListenProbe.WaitAsync(ns, Port, server, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        return server;
    }

    /// <summary>Runs `iperf3 -c` for <paramref name="seconds"/> (after a 1 s omitted warm-up) with <paramref name="streams"/> streams.</summary>
    public static async Task<IperfResult> RunClientAsync(NetworkNamespace ns, IPAddress server, int streams, int seconds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(server);
        var inv = CultureInfo.InvariantCulture;
        string[] command =
        [
            "netns", "exec", ns.Name, "iperf3", "-c", server.ToString(), "-p", Port.ToString(inv),
            "-t", seconds.ToString(inv), "-O", "1", "-P", streams.ToString(inv), "-J",
        ];

        // The server takes one test at a time and needs a moment after the previous one: one retry if it is busy.
        CommandResult result = await CommandRunner.RunAsync("ip", command, TimeSpan.FromSeconds(seconds + 30), null, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded && result.StandardOutput.Contains("busy", StringComparison.OrdinalIgnoreCase))
        {
            await Task.Delay(2000, cancellationToken).ConfigureAwait(false);
            result = await CommandRunner.RunAsync("ip", command, TimeSpan.FromSeconds(seconds + 30), null, cancellationToken).ConfigureAwait(false);
        }

        return Parse(result.StandardOutput, result.Elapsed, result.Command);
    }

    public static IperfResult Parse(string json, TimeSpan elapsed, string command)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new BenchmarkException($"`{command}` did not print JSON: {json.Trim()}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                throw new BenchmarkException($"`{command}` failed: {error.GetString()}");
            }

            var received = root.GetProperty("end").GetProperty("sum_received");
            return new IperfResult(received.GetProperty("bits_per_second").GetDouble(), (long)received.GetProperty("bytes").GetDouble(), elapsed);
        }
    }
}
