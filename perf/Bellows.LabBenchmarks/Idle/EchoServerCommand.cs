// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Runtime.InteropServices;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;

namespace Bellows.LabBenchmarks.Idle;

/// <summary>
/// `Bellows.LabBenchmarks echo-server NAMESPACE PORT`: the lab's echo server in a process of its own. The idle
/// test holds 9,000 client sockets in the benchmark process; the 9,000 server ends must live elsewhere, or the
/// benchmark would need 18,000 descriptors of its 20,000.
/// </summary>
public static class EchoServerCommand
{
    public const string Name = "echo-server";

    /// <summary>The server stops by itself after this long, should its parent die without stopping it.</summary>
    private static readonly TimeSpan s_lifetime = TimeSpan.FromHours(1);

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count != 2 || !int.TryParse(arguments[1], NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            await Console.Error.WriteLineAsync($"usage: {Name} NAMESPACE PORT").ConfigureAwait(false);
            return 2;
        }

        using var stop = new CancellationTokenSource(s_lifetime);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var server = new LabEchoServer(new NetworkNamespace(arguments[0]), port);
        server.Start();
        Console.WriteLine($"echo server on port {port}");
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        return 0;
    }
}
