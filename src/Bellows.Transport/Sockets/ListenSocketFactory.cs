// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;

namespace Bellows.Transport.Sockets;

/// <summary>Creates the listening sockets of one listener address.</summary>
public static class ListenSocketFactory
{
    /// <summary>
    /// Creates <paramref name="count"/> sockets bound to one address. With <paramref name="reusePort"/> each
    /// socket gets SO_REUSEPORT and the kernel spreads new connections over them (one accept queue each);
    /// without it a single socket is returned and the acceptors share its queue.
    /// </summary>
    public static IReadOnlyList<Socket> CreateTcp(IPEndPoint endPoint, bool transparent, bool reusePort, int count, int backlog) =>
        CreateMany(endPoint, reusePort, count, () => CreateOne(endPoint, SocketType.Stream, ProtocolType.Tcp, transparent, reusePort, backlog));

    /// <summary>
    /// UDP sockets for one address, like <see cref="CreateTcp"/>; each also reports every datagram's original
    /// destination (IP_RECVORIGDSTADDR), and keeps a short receive queue: under overload a long queue only makes
    /// every admitted datagram stale, while a short one drops the excess and lets retries through.
    /// </summary>
    public static IReadOnlyList<Socket> CreateUdp(IPEndPoint endPoint, bool transparent, bool reusePort, int count, int receiveBuffer) =>
        CreateMany(endPoint, reusePort, count, () =>
        {
            var socket = CreateOne(endPoint, SocketType.Dgram, ProtocolType.Udp, transparent, reusePort, backlog: 0);
            try
            {
                DatagramReceive.EnableOriginalDestination(socket);
                socket.ReceiveBufferSize = receiveBuffer;
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    private static List<Socket> CreateMany(IPEndPoint endPoint, bool reusePort, int count, Func<Socket> create)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        int sockets = reusePort ? Math.Max(1, count) : 1;
        var result = new List<Socket>(sockets);
        try
        {
            for (int i = 0; i < sockets; i++)
            {
                result.Add(create());
            }
        }
        catch
        {
            foreach (var s in result)
            {
                s.Dispose();
            }

            throw;
        }

        return result;
    }

    private static Socket CreateOne(IPEndPoint endPoint, SocketType type, ProtocolType protocol, bool transparent, bool reusePort, int backlog)
    {
        var socket = new Socket(endPoint.AddressFamily, type, protocol);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // One socket per family: IPv4 clients never show up as ::ffff:a.b.c.d.
                socket.DualMode = false;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (reusePort)
            {
                LinuxSocketOptions.SetReusePort(socket);
            }

            if (transparent)
            {
                LinuxSocketOptions.SetTransparent(socket);
            }

            socket.Bind(endPoint);
            if (type == SocketType.Stream)
            {
                socket.Listen(backlog);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
