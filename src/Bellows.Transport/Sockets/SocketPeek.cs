// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Bellows.Transport.Interop;

namespace Bellows.Transport.Sockets;

/// <summary>Looks at what a TCP peer has sent without taking it and without waiting: one syscall.</summary>
public static unsafe class SocketPeek
{
    /// <summary>Nothing has arrived yet (EAGAIN).</summary>
    public const int NothingYet = -1;

    /// <summary>
    /// Copies up to <paramref name="buffer"/>.Length queued bytes (MSG_PEEK | MSG_DONTWAIT). Returns the count,
    /// 0 at end of stream, or <see cref="NothingYet"/>; other errors throw <see cref="SocketException"/>.
    /// </summary>
    public static int TryPeek(Socket socket, Span<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(socket);
        fixed (byte* data = buffer)
        {
            nint n = LibC.recv(socket.SafeHandle.DangerousGetHandle(), data, (nuint)buffer.Length, LibC.MsgPeek | LibC.MsgDontWait);
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            return errno == LibC.Eagain ? NothingYet : throw new SocketException(errno);
        }
    }
}
