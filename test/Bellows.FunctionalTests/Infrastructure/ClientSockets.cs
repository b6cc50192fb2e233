// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Lab.Network;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>TCP connections opened from inside the client namespace by the test process itself.</summary>
internal static class ClientSockets
{
    public static async Task<List<Socket>> ConnectManyAsync(NetworkNamespace ns, IPEndPoint target, int count, int parallel = 200)
    {
        var sockets = ns.Invoke(() => Enumerable.Range(0, count)
            .Select(_ => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp)).ToList());
        try
        {
            for (int i = 0; i < count; i += parallel)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                await Task.WhenAll(sockets.Skip(i).Take(parallel).Select(s => s.ConnectAsync(target, timeout.Token).AsTask()));
            }
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        return sockets;
    }

    public static async Task<Socket> ConnectAsync(NetworkNamespace ns, IPEndPoint target) =>
        (await ConnectManyAsync(ns, target, 1))[0];

    /// <summary>Sends one byte and waits for the echo: the connection really goes end to end.</summary>
    public static async Task EchoOneByteAsync(Socket socket, byte value)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.SendAsync(new[] { value }, SocketFlags.None, timeout.Token);
        var buffer = new byte[1];
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        Assert.Equal(1, n);
        Assert.Equal(value, buffer[0]);
    }
}
