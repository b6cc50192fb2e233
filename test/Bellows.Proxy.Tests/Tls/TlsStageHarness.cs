// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Bellows.Config;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Relay;
using Bellows.Proxy.Sessions;
using Bellows.Proxy.Tests.Relay;
using Bellows.Proxy.Tls;
using Bellows.Tls.Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Transport.Buffers;
using Bellows.Transport.Tests.Sockets;

namespace Bellows.Proxy.Tests.Tls;

/// <summary>
/// A TLS origin on loopback with its own CA, a TlsInspector trusting that CA, and one session's sockets:
/// the test plays the client, the stage runs in between, and the relay carries what it yields.
/// </summary>
internal sealed class TlsStageHarness : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bellows-tls-stage-").FullName;
    private readonly Socket _originListener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<IDisposable> _owned = [];

    public TlsStageHarness(TlsProfileConfig profile, X509Certificate2? originLeaf = null, TlsListenerMode mode = TlsListenerMode.Always)
    {
        OriginRoot = TestCertificates.CreateRoot("Origin Root");
        OriginLeaf = originLeaf ?? TestCertificates.CreateLeaf(OriginRoot, "CN=www.test, O=Origin", ["www.test", "alt.test"], [IPAddress.Loopback]);
        TestCertificates.WritePem(Path.Combine(_directory, "origin.pem"), OriginRoot);
        Inspector = new TlsInspector(new TlsConfig { TrustBundle = Path.Combine(_directory, "origin.pem"), Profile = profile },
            CertificateAuthority.CreateEphemeral("Stage Test CA"), CustomCertificateStore.Empty);
        Mode = mode;
        _originListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _originListener.Listen(16);
        Origin = (IPEndPoint)_originListener.LocalEndPoint!;
    }

    public X509Certificate2 OriginRoot { get; }

    public X509Certificate2 OriginLeaf { get; }

    public TlsInspector Inspector { get; }

    public TlsListenerMode Mode { get; }

    public IPEndPoint Origin { get; }

    public PinnedBufferPool Pool { get; } = new(16384, 16);

    /// <summary>The next connection to the origin, as a plain socket (for tests of non-TLS servers).</summary>
    public Task<Socket> AcceptOriginAsync() => _originListener.AcceptAsync();

    /// <summary>Serves one TLS connection: answers "pong:&lt;alpn&gt;:&lt;what it read&gt;".</summary>
    public async Task ServeOriginOnceAsync()
    {
        using var accepted = await _originListener.AcceptAsync();
        await using var ssl = new SslStream(new NetworkStream(accepted, ownsSocket: false));
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(OriginLeaf, [OriginRoot], offline: true),
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            });
            var buffer = new byte[256];
            int n = await ssl.ReadAsync(buffer);
            await ssl.WriteAsync(Encoding.ASCII.GetBytes($"pong:{ssl.NegotiatedApplicationProtocol}:{Encoding.ASCII.GetString(buffer, 0, n)}"));
            await ssl.ShutdownAsync();
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Bellows gave up on this connection (blocked, bypass test closing): nothing to serve.
        }
    }

    /// <summary>Client socket (the test's end), Bellows' accepted socket, Bellows' upstream socket.</summary>
    public async Task<(Socket Client, TlsSessionStage Stage, Socket Accepted, Socket Upstream)> OpenAsync()
    {
        var pair = await SocketPair.CreateAsync();
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await upstream.ConnectAsync(Origin);
        _owned.Add(pair);
        _owned.Add(upstream);
        var settings = new ListenerSettings("tls", ListenerMode.Tproxy, 50443, NatMode.Auto, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), 0, true, Mode);
        var stage = new TlsSessionStage(Inspector, settings, pair.B, upstream, (IPEndPoint)pair.A.LocalEndPoint!, Origin);
        return (pair.A, stage, pair.B, upstream);
    }

    /// <summary>Client-side options that trust only Bellows' CA (what a client behind Bellows is set up with).</summary>
    public SslClientAuthenticationOptions TrustBellows(string host, params SslApplicationProtocol[] alpn) =>
        Trusting(Inspector.Authority.Certificate, host, alpn);

    public static SslClientAuthenticationOptions Trusting(X509Certificate2 root, string host, params SslApplicationProtocol[] alpn)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        return new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = alpn.Length == 0 ? null : [.. alpn],
            CertificateChainPolicy = policy,
        };
    }

    public static DuplexRelay Relay(TlsStageResult result, Socket accepted, Socket upstream, PinnedBufferPool pool) =>
        new(result.ClientLeg ?? new SocketLeg(accepted, CloseSide.Client), result.ServerLeg ?? new SocketLeg(upstream, CloseSide.Server), pool, NoAccounting.Instance);

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        _originListener.Dispose();
        Inspector.Dispose();
        await Task.Yield();
        Directory.Delete(_directory, recursive: true);
    }
}
