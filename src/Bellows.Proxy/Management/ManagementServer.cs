// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Text;
using Bellows.Proxy.Status;

namespace Bellows.Proxy.Management;

/// <summary>
/// The local management socket: a Unix socket readable by root only (directory 0700, socket 0600). One request
/// line per connection, one answer, then close. Commands: <c>status</c> (JSON), <c>ping</c>.
/// </summary>
public sealed class ManagementServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _path;
    private readonly Func<ProxyStatus> _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ManagementServer(string path, Func<ProxyStatus> status)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _status = status;
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Delete(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _socket.Listen(16);
        _loop = AcceptLoopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _loop.ConfigureAwait(false);
        File.Delete(_path);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                var buffer = new byte[256];
                int filled = 0;
                while (filled < buffer.Length && buffer.AsSpan(0, filled).IndexOf((byte)'\n') < 0)
                {
                    int n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    filled += n;
                }

                string command = Encoding.ASCII.GetString(buffer, 0, filled).Trim();
                string answer = command switch
                {
                    "status" => ProxyStatusJson.Serialize(_status()),
                    "ping" => "pong",
                    _ => $"error: unknown command '{command}' (known: status, ping)",
                };
                await client.SendAsync(Encoding.UTF8.GetBytes(answer + "\n"), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // The client went away or was too slow; nothing to answer.
            }
        }
    }
}
