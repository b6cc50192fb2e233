// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;

namespace Bellows.Lab.Processes;

/// <summary>The result of running a command to completion.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public CommandResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new LabException($"`{Command}` exited with {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}".Trim());
        }

        return this;
    }
}

/// <summary>Runs external tools (ip, nft, curl, ...) with a time bound.</summary>
public static class CommandRunner
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null,
        string? standardInput = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        string text = file + " " + string.Join(' ', info.ArgumentList);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new LabException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{text}` did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new CommandResult(text, process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch.Elapsed);
    }

    public static Task<CommandResult> RunAsync(string file, params string[] arguments) => RunAsync(file, arguments, null);

    /// <summary>Runs a shell snippet (for pipelines such as `curl ... | sha256sum`).</summary>
    public static Task<CommandResult> ShellAsync(string script, TimeSpan? timeout = null) =>
        RunAsync("/bin/sh", ["-c", script], timeout);

    public static string Quote(string value) =>
        "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
