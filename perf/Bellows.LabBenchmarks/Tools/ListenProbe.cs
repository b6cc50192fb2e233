// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Globalization;
using Bellows.Lab.Network;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>Waits for a TCP listener to appear, asking `ss` rather than connecting (a probe connection would
/// count as a session, and iperf3 logs a bogus control connection as an error).</summary>
public static class ListenProbe
{
    public static async Task WaitAsync(NetworkNamespace ns, int port, ToolProcess? owner, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var watch = Stopwatch.StartNew();
        string filter = "sport = :" + port.ToString(CultureInfo.InvariantCulture);
        while (watch.Elapsed < timeout)
        {
            owner?.EnsureRunning();
            var result = await ns.RunAsync(["ss", "-Hltn", filter], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            if (result.Succeeded && result.StandardOutput.Trim().Length > 0)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        owner?.EnsureRunning();
        throw new BenchmarkException($"nothing listens on TCP port {port} in {ns.Name} after {timeout.TotalSeconds:0} s");
    }
}
