// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bellows.Lab.Processes;

namespace Bellows.Lab.Network;

/// <summary>A named network namespace (ip netns): run commands in it, or create sockets in it.</summary>
public sealed partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    public NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => "/var/run/netns/" + Name;

    public bool Exists => File.Exists(Path);

    public Task<CommandResult> RunAsync(IEnumerable<string> command, TimeSpan? timeout = null) =>
        CommandRunner.RunAsync("ip", new[] { "netns", "exec", Name }.Concat(command), timeout);

    public Task<CommandResult> RunAsync(params string[] command) => RunAsync(command, null);

    public Task<CommandResult> RunWithInputAsync(IEnumerable<string> command, string standardInput, TimeSpan? timeout = null) =>
        CommandRunner.RunAsync("ip", new[] { "netns", "exec", Name }.Concat(command), timeout, standardInput);

    /// <summary>Runs a shell snippet inside the namespace.</summary>
    public Task<CommandResult> ShellAsync(string script, TimeSpan? timeout = null) =>
        RunAsync(["/bin/sh", "-c", script], timeout);

    /// <summary>
    /// Creates a socket that lives in this namespace. The socket() call runs on a short-lived thread that first
    /// joins the namespace with setns(2); a socket keeps the namespace it was created in, so it can then be used
    /// from any thread. This lets one process serve and connect in several namespaces at once.
    /// </summary>
    public Socket CreateSocket(AddressFamily family, SocketType type, ProtocolType protocol) =>
        Invoke(() => new Socket(family, type, protocol));

    /// <summary>Runs <paramref name="action"/> on a thread that has joined this namespace.</summary>
    public T Invoke<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path);
                if (setns((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new LabException($"setns({Name}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns-" + Name,
        };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw failure is LabException ? failure : new LabException($"in netns {Name}: {failure.Message}", failure);
        }

        return result!;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}
