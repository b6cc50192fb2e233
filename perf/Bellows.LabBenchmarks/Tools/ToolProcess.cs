// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Bellows.Lab;
using Bellows.Lab.Network;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>
/// A long-running tool (nginx, iperf3 -s, haproxy, the echo server) started in a namespace with
/// <c>ip netns exec</c>. ip execs the tool, so <see cref="Pid"/> is the tool itself: it is stopped by that PID,
/// and its /proc entry is the one the benchmark reads CPU time and RSS from.
/// </summary>
public sealed partial class ToolProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ToolProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the tool wrote (stdout and stderr).</summary>
    public string RecentOutput => string.Join('\n', _output);

    public static ToolProcess Start(NetworkNamespace ns, string name, IEnumerable<string> command)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name }.Concat(command))
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new LabException($"cannot start {name}");
        return new ToolProcess(name, process);
    }

    /// <summary>Throws with the tool's output if it has already exited (a bad config, a busy port).</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new LabException($"{Name} exited with {_process.ExitCode}:\n{RecentOutput}");
        }
    }

    /// <summary>SIGTERM by PID, then SIGKILL of the process tree if it has not gone within <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = kill(_process.Id, Sigterm);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
