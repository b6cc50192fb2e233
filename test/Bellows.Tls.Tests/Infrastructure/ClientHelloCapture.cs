// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Tls.ClientHello;

namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>A loopback listener that records what a TLS client sends first, then hangs up.</summary>
internal static class ClientHelloCapture
{
    public static async Task<byte[]> CaptureAsync(Func<NetworkStream, Task> client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var clientTask = Task.Run(async () =>
        {
            try
            {
                await client(connection.GetStream());
            }
            catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The capture side hangs up mid-handshake.
            }
        });

        using var accepted = await listener.AcceptTcpClientAsync();
        var stream = accepted.GetStream();
        byte[] buffer = new byte[65536];
        int filled = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (ClientHelloParser.TryParse(buffer.AsSpan(0, filled), out _) == ClientHelloParseStatus.Incomplete)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), timeout.Token);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        accepted.Client.LingerState = new LingerOption(true, 0);
        accepted.Close();
        connection.Close();
        await clientTask;
        return buffer[..filled];
    }
}
