// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>A real TLS handshake between two SslStreams over loopback TCP.</summary>
internal static class LoopbackTls
{
    /// <summary>Handshakes, sends one byte each way, and returns the protocol the client negotiated.</summary>
    public static async Task<SslProtocols> HandshakeAsync(SslServerAuthenticationOptions server, SslClientAuthenticationOptions client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var clientTcp = new TcpClient();
        var connect = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        using var serverTcp = await listener.AcceptTcpClientAsync(timeout.Token);
        await connect;

        await using var serverSsl = new SslStream(serverTcp.GetStream());
        await using var clientSsl = new SslStream(clientTcp.GetStream());
        var serverSide = Task.Run(async () =>
        {
            await serverSsl.AuthenticateAsServerAsync(server, timeout.Token);
            byte[] one = new byte[1];
            await serverSsl.ReadExactlyAsync(one, timeout.Token);
            await serverSsl.WriteAsync(new byte[] { (byte)(one[0] + 1) }, timeout.Token);
        });

        try
        {
            await clientSsl.AuthenticateAsClientAsync(client, timeout.Token);
            await clientSsl.WriteAsync(new byte[] { 41 }, timeout.Token);
            byte[] reply = new byte[1];
            await clientSsl.ReadExactlyAsync(reply, timeout.Token);
            if (reply[0] != 42)
            {
                throw new InvalidOperationException("echo mismatch");
            }

            await serverSide;
            return clientSsl.SslProtocol;
        }
        catch
        {
            serverTcp.Close();
            try
            {
                await serverSide;
            }
            catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
            {
            }

            throw;
        }
    }
}
