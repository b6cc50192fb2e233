// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Transport.Sockets;

/// <summary>What a socket operation came to: the bytes moved, or the error that ended it.</summary>
public readonly record struct SocketResult(int Bytes, SocketError Error)
{
    public bool Succeeded => Error == SocketError.Success;

    public static SocketResult Ok(int bytes) => new(bytes, SocketError.Success);

    public static SocketResult Failed(SocketError error) => new(0, error);
}
