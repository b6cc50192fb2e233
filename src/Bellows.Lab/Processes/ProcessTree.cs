// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;

namespace Bellows.Lab.Processes;

/// <summary>Stopping a helper process the lab started, with its children, by PID (never by name).</summary>
public static class ProcessTree
{
    /// <summary>
    /// Kills <paramref name="process"/> and its descendants if it still runs, waits at most 10 s for it, and
    /// disposes it. `ip netns exec` execs its command in place, so the PID is the tool itself.
    /// </summary>
    public static async ValueTask KillAndDisposeAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            process.Dispose();
        }
    }
}
