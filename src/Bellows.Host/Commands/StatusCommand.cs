// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Config;
using Bellows.Proxy.Management;

namespace Bellows.Host.Commands;

/// <summary>`bellows status`: the running proxy's status document (JSON).</summary>
internal static class StatusCommand
{
    public static async Task<int> ExecuteAsync(CommandArguments arguments)
    {
        string socket = arguments.Value("--socket") ?? ConfigSource.Load(arguments.Value("--config"))?.Management.Socket
            ?? BellowsConfig.Default.Management.Socket;
        arguments.RejectUnknown();
        try
        {
            Console.Write(await ManagementClient.SendAsync(socket, "status").ConfigureAwait(false));
            return 0;
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"bellows: cannot reach {socket}: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
