// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;

namespace Bellows.Transport.Tests.Sockets;

/// <summary>Two connected loopback TCP sockets (also compiled into Bellows.Proxy.Tests).</summary>
internal sealed class SocketPair : IDisposable
{
    private SocketPair(Socket a, Socket b)
    {
        A = a;
        B = b;
    }

    public Socket A { get; }

    public Socket B { get; }

    public static async Task<SocketPair> CreateAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var a = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = a.ConnectAsync(listener.LocalEndPoint!);
        var b = await listener.AcceptAsync();
        await connect;
        return new SocketPair(a, b);
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
