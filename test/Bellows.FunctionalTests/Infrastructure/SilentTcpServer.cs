// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Globalization;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>
/// A TCP server in a namespace that accepts every connection and never says a word (socat handing each one to
/// `sleep`): an OCSP responder that has hung. Stopped, with its children, by PID.
/// </summary>
internal sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly Process _process;

    private SilentTcpServer(NetworkNamespace ns, int port, Process process)
    {
        _ns = ns;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>Starts it and waits (bounded) until the port listens.</summary>
    public static async Task<SilentTcpServer> StartAsync(NetworkNamespace ns, int port)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns.Name, "socat", $"TCP-LISTEN:{port.ToString(CultureInfo.InvariantCulture)},reuseaddr,fork", "EXEC:sleep 60" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start socat");
        var server = new SilentTcpServer(ns, port, process);
        for (int i = 0; i < 50; i++)
        {
            if ((await server.SocketsAsync("state listening")).Length > 0)
            {
                return server;
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"socat did not listen on port {port} in {ns.Name}");
    }

    /// <summary>How many connections it holds open now.</summary>
    public async Task<int> ConnectionsAsync() => (await SocketsAsync("state established")).Length;

    /// <summary>socat and its sleeps.</summary>
    public ValueTask DisposeAsync() => ProcessTree.KillAndDisposeAsync(_process);

    private async Task<string[]> SocketsAsync(string state)
    {
        var ss = await _ns.ShellAsync($"ss -Htn {state} '( sport = :{Port.ToString(CultureInfo.InvariantCulture)} )'", TimeSpan.FromSeconds(10));
        return ss.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
