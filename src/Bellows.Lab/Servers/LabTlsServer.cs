// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;

namespace Bellows.Lab.Servers;

/// <summary>
/// The lab's TLS origin (port 443 in the server namespace): the certificate by SNI from <see cref="LabOriginPki"/>
/// (no SNI: www.lab.test), sent with the origin CA; ALPN h2 or http/1.1; HTTP/1.1 as <see cref="LabHttpServer"/>.
/// </summary>
/// <remarks>
/// HTTP/2 is negotiated but not served: the tests only read the negotiated protocol (openssl s_client -alpn),
/// so after an h2 handshake the origin sends close_notify and a FIN.
/// </remarks>
public sealed class LabTlsServer : LabTcpServer
{
    public const string Greeting = "hello from the bellows lab tls server\n";
    public const int Port = 443;

    /// <summary>
    /// The protocols served. SslStream picks the first of its list that the client offers, so each connection
    /// gets this list reordered by the client's preference (`-alpn http/1.1,h2` gets http/1.1).
    /// </summary>
    private static readonly List<SslApplicationProtocol> s_protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly LabOriginPki _pki;
    private readonly LabHttpResponder _responder = new(Greeting, null);

    public LabTlsServer(NetworkNamespace ns, LabOriginPki pki, params int[] ports)
        : base(ns, ports)
    {
        ArgumentNullException.ThrowIfNull(pki);
        _pki = pki;
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        string remote = connection.RemoteEndPoint?.ToString() ?? "?";
        var ssl = new SslStream(new NetworkStream(connection, ownsSocket: false), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                handshake.CancelAfter(s_handshakeTimeout);
                var offered = await LabClientHelloAlpn.PeekAsync(connection, handshake.Token).ConfigureAwait(false);
                var protocols = offered?.Where(s_protocols.Contains).ToList() is { Count: > 0 } preferred ? preferred : s_protocols;
                try
                {
                    await ssl.AuthenticateAsServerAsync(SelectOptionsAsync, protocols, handshake.Token).ConfigureAwait(false);
                }
                catch (AuthenticationException)
                {
                    // A client (or Bellows) that rejects our certificate or speaks no TLS: normal in this lab.
                    return;
                }
            }

            async Task CloseAsync()
            {
                await ssl.ShutdownAsync().ConfigureAwait(false);
                connection.Shutdown(SocketShutdown.Send);
            }

            if (ssl.NegotiatedApplicationProtocol == SslApplicationProtocol.Http2)
            {
                await CloseAsync().ConfigureAwait(false);
                return;
            }

            await _responder.ServeAsync(ssl, remote, CloseAsync, stopping).ConfigureAwait(false);
        }
    }

    private ValueTask<SslServerAuthenticationOptions> SelectOptionsAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _pki.ContextFor(string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName),
            ApplicationProtocols = state as List<SslApplicationProtocol> ?? s_protocols,
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        });
}
