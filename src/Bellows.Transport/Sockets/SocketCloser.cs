// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;

namespace Bellows.Transport.Sockets;

/// <summary>Closing with a deliberate choice between FIN and RST.</summary>
public static class SocketCloser
{
    /// <summary>Close with RST: SO_LINGER with a zero timeout makes close() abort the connection.</summary>
    public static void Reset(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already reset by the peer: closing is all that is left to do.
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        socket.Dispose();
    }

    /// <summary>Shut the sending direction down (FIN); the other direction keeps flowing.</summary>
    public static bool TryShutdownSend(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
