// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bellows.Config;
using Bellows.Proxy;
using Bellows.Proxy.Management;
using Bellows.Transport.Interop;
using Microsoft.Extensions.Logging;

namespace Bellows.Host.Commands;

/// <summary>`bellows run`: the proxy in the foreground until SIGINT or SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>.NET's switch for running socket continuations on its epoll threads.</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static async Task<int> ExecuteAsync(CommandArguments arguments)
    {
        // Before the first socket exists: .NET reads this once, when its socket engine starts. Inline
        // continuations save a thread-pool hop per read and write (docs/architecture.md, Tuning); whatever
        // might block runs elsewhere. An explicit setting in the environment wins ("0" turns it off).
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        var config = ConfigSource.Load(arguments.Value("--config"));
        arguments.RejectUnknown();
        if (config is null)
        {
            return 1;
        }

        using var loggers = HostLogging.Create(config.Logging);
        var logger = loggers.CreateLogger("Bellows.Host");
        long fdLimit = FileDescriptorLimit.RaiseToHardLimit();
        HostLog.FdLimit(logger, fdLimit);

        BellowsProxy proxy;
        try
        {
            proxy = new BellowsProxy(config, loggers);
        }
        catch (SocketException e)
        {
            HostLog.ListenFailed(logger, e.SocketErrorCode.ToString(), e.Message);
            return 1;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        await using (proxy.ConfigureAwait(false))
        {
            proxy.Start();
            ManagementServer? management = null;
            if (config.Management.Socket.Length > 0)
            {
                management = new ManagementServer(config.Management.Socket, proxy.GetStatus);
                HostLog.ManagementSocket(logger, config.Management.Socket);
            }

            HostLog.Ready(logger, Environment.ProcessId);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // SIGINT or SIGTERM.
            }

            await proxy.StopAsync(config.Shutdown.Drain).ConfigureAwait(false);
            if (management is not null)
            {
                await management.DisposeAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }
}
