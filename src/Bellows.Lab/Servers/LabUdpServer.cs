// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>
/// UDP servers in a namespace: on <c>port</c> every datagram is echoed back unchanged; on <c>port + 1</c>
/// the answer is the sender's address and port as the server sees it ("whoami", for the nat none test).
/// </summary>
public sealed class LabUdpServer : IDisposable
{
    private readonly List<(Socket Socket, bool Whoami)> _sockets = [];
    private readonly List<Task> _loops = [];
    private long _datagrams;

    public LabUdpServer(NetworkNamespace ns, int port)
    {
        ArgumentNullException.ThrowIfNull(ns);
        foreach (var (p, whoami) in new[] { (port, false), (port + 1, true) })
        {
            foreach (var any in new[] { IPAddress.Any, IPAddress.IPv6Any })
            {
                var socket = ns.CreateSocket(any.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                if (any.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                socket.Bind(new IPEndPoint(any, p));
                _sockets.Add((socket, whoami));
            }
        }
    }

    public long Datagrams => Interlocked.Read(ref _datagrams);

    public void Start()
    {
        foreach (var (socket, whoami) in _sockets)
        {
            _loops.Add(Task.Run(() => ServeAsync(socket, whoami)));
        }
    }

    public void Dispose()
    {
        foreach (var (socket, _) in _sockets)
        {
            socket.Dispose();
        }
    }

    private async Task ServeAsync(Socket socket, bool whoami)
    {
        var buffer = new byte[65536];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            try
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any).ConfigureAwait(false);
                Interlocked.Increment(ref _datagrams);
                var answer = whoami
                    ? Encoding.ASCII.GetBytes(result.RemoteEndPoint.ToString() ?? "?")
                    : buffer.AsMemory(0, result.ReceivedBytes);
                await socket.SendToAsync(answer, SocketFlags.None, result.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier answer: the client went away.
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
