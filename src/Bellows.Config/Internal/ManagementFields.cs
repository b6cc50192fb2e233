// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Text;

namespace Bellows.Config.Internal;

internal static class ManagementFields
{
    // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    public static readonly FieldTable<ManagementConfig> Table = new("management")
    {
        {
            "socket",
            (c, v) => v.TryString(out var socket)
                && v.Require(socket.Length == 0 || socket[0] == '/', $"'{socket}' is not an absolute path; use a path that starts with '/', or \"\" to disable")
                && v.Require(Encoding.UTF8.GetByteCount(socket) <= MaxSocketPathBytes, $"the path is longer than {MaxSocketPathBytes} bytes, the limit for a Unix socket")
                    ? c with { Socket = socket }
                    : c
        },
    };
}
