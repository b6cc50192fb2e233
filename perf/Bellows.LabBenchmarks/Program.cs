// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Bellows.Lab;
using Bellows.LabBenchmarks;
using Bellows.LabBenchmarks.Idle;
using Bellows.LabBenchmarks.Results;

// The lab benchmark: routed vs HAProxy vs Bellows, side by side. bench/run.sh installs the tools, builds and runs it.
if (args.Length > 0 && args[0] == EchoServerCommand.Name)
{
    return await EchoServerCommand.RunAsync(args[1..]).ConfigureAwait(false);
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + "\n" + BenchmarkOptions.Usage).ConfigureAwait(false);
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
try
{
    var clock = Stopwatch.StartNew();
    var report = await BenchmarkRunner.RunAsync(options, line => Console.WriteLine($"[bench {clock.Elapsed:mm\\:ss}] {line}"), stop.Token).ConfigureAwait(false);
    string markdown = report.Tls is not null ? TlsMarkdownReport.Render(report) : MarkdownReport.Render(report);
    if (options.OutputPath is { } path)
    {
        await File.WriteAllTextAsync(path, markdown).ConfigureAwait(false);
        Console.WriteLine($"[bench] results written to {path}");
    }
    else
    {
        Console.WriteLine(markdown);
    }

    return 0;
}
catch (Exception e) when (e is BenchmarkException or LabException or OperationCanceledException or TimeoutException)
{
    await Console.Error.WriteLineAsync("benchmark failed: " + e.Message).ConfigureAwait(false);
    return 1;
}
