// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Bellows.Lab.Network;
using Bellows.Proxy.Management;
using Bellows.Proxy.Status;

namespace Bellows.Lab.Processes;

/// <summary>A `bellows run` process inside a namespace, with its output kept for inspection.</summary>
public sealed partial class BellowsProcess : IAsyncDisposable
{
    private const int Sigterm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Action<string>? _echo;

    private BellowsProcess(Process process, string managementSocket, Action<string>? echo)
    {
        _process = process;
        ManagementSocket = managementSocket;
        _echo = echo;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string ManagementSocket { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Output => _output;

    /// <summary>
    /// The bellows entry assembly: this process itself when it is bellows, else bellows.dll next to the caller
    /// (tests and benchmarks reference the host project, so it is copied beside them).
    /// </summary>
    public static string[] Command()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "bellows.dll");
        if (!File.Exists(dll))
        {
            throw new LabException($"cannot find {dll}");
        }

        return ["dotnet", dll];
    }

    /// <summary>Starts `bellows run --config <paramref name="configPath"/>` in <paramref name="ns"/> and waits until it answers.</summary>
    public static async Task<BellowsProcess> StartAsync(NetworkNamespace ns, string configPath, string managementSocket,
        Action<string>? echo = null, TimeSpan? startTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name }.Concat(Command()).Concat(["run", "--config", configPath]))
        {
            info.ArgumentList.Add(a);
        }

        // Socket continuations run inline on the epoll threads: `bellows run` turns that on itself, so the lab,
        // the tests and the benchmarks run what an operator runs. See docs/architecture.md, Tuning.
        var process = Process.Start(info) ?? throw new LabException("cannot start bellows");
        var bellows = new BellowsProcess(process, managementSocket, echo);
        var deadline = Stopwatch.GetTimestamp() + (long)(startTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited)
            {
                throw new LabException($"bellows exited with {process.ExitCode} at start:\n{string.Join('\n', bellows.Output)}");
            }

            try
            {
                if ((await ManagementClient.SendAsync(managementSocket, "ping").ConfigureAwait(false)).Trim() == "pong")
                {
                    return bellows;
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Not listening yet.
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        await bellows.DisposeAsync().ConfigureAwait(false);
        throw new LabException("bellows did not open its management socket in time");
    }

    public Task<ProxyStatus> GetStatusAsync() => ManagementClient.GetStatusAsync(ManagementSocket);

    /// <summary>Sends SIGTERM and waits for the process to exit; returns how long the stop took.</summary>
    public async Task<TimeSpan> StopAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        if (!_process.HasExited)
        {
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
                throw new LabException($"bellows did not stop within {timeout}");
            }
        }

        return watch.Elapsed;
    }

    /// <summary>Resident set size of the process (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (LabException)
            {
                // Killed instead.
            }
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        _echo?.Invoke(line);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
