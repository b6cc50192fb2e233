// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Bellows.Config;
using Bellows.Proxy.Listeners;
using Bellows.Proxy.Relay;
using Bellows.Proxy.Sessions;
using Bellows.Tls.ClientHello;
using Bellows.Tls.Validation;
using Bellows.Transport.Sockets;

namespace Bellows.Proxy.Tls;

/// <summary>
/// The part of a session on a TLS-aware listener between the upstream TCP connect and the relay.
/// </summary>
/// <remarks>
/// 1. detect (plain listener): whoever speaks first decides; a client whose first bytes are a TLS handshake
///    record header goes on, anything else is relayed untouched (as is, later, anything that is not a hello);
/// 2. read the ClientHello (bounded, timed); non-TLS bytes are relayed or dropped by profile, a bad hello ends
///    the session with its reason;
/// 3. bypass by profile or SNI list: forward the hello and relay the original TLS;
/// 4. upstream first: handshake with the client's SNI and ALPN list, validate the server's chain and name;
/// 5. decide by profile (allow_*, revocation, accepted warnings): go on, block, or warn;
/// 6. serve the client a custom or minted certificate, offering exactly the ALPN protocol the server chose;
/// 7. hand two TLS legs to the relay (or, for a warning, answer the HTTP request with the warning page).
/// </remarks>
internal sealed class TlsSessionStage(TlsInspector inspector, ListenerSettings listener, Socket client, Socket server, IPEndPoint clientEndPoint, IPEndPoint destination)
{
    private const byte HandshakeRecord = 0x16;

    public TlsSessionInfo Info { get; } = new();

    public async Task<TlsStageResult> RunAsync(CancellationToken aborted)
    {
        // :: Step 1
        if (listener.Tls == TlsListenerMode.Detect && !await ClientStartsTlsAsync(aborted).ConfigureAwait(false))
        {
            return TlsStageResult.Plain(default);
        }

        // :: Step 2
        var read = await ClientHelloReader.ReadAsync(client, inspector.Config.HelloTimeout, aborted).ConfigureAwait(false);
        if (read.Status == ClientHelloReadStatus.NotTls)
        {
            inspector.CountNotTls();
            Info.Outcome = "not-tls";
            return inspector.Profile.NonTls == NonTlsAction.Drop && listener.Tls == TlsListenerMode.Always
                ? Fail(new CloseReason(CloseSide.Proxy, CloseKind.NotTls), "not TLS, dropped by profile")
                : TlsStageResult.Plain(read.Bytes);
        }

        if (read.Status != ClientHelloReadStatus.Complete && listener.Tls == TlsListenerMode.Detect)
        {
            // Looked like TLS but is not a hello: on a plain listener that is somebody's protocol, relay it.
            inspector.CountNotTls();
            Info.Outcome = "not-tls";
            Info.Detail = $"{read.Status.ToString().ToLowerInvariant()}: {read.Reason}";
            return TlsStageResult.Plain(read.Bytes);
        }

        if (read.Status != ClientHelloReadStatus.Complete)
        {
            inspector.CountHelloError();
            Info.Outcome = "hello-error";
            return Fail(new CloseReason(CloseSide.Client, CloseKind.TlsHello), $"{read.Status.ToString().ToLowerInvariant()}: {read.Reason}");
        }

        var hello = read.Hello!;
        Describe(hello);

        // :: Step 3
        if (inspector.Profile.Mode == TlsInspectionMode.Bypass || inspector.Bypass.Matches(hello.ServerName))
        {
            inspector.CountBypassed();
            Info.Outcome = "bypass";
            return TlsStageResult.Plain(read.Bytes);
        }

        return await InspectAsync(hello, read.Bytes, aborted).ConfigureAwait(false);
    }

    private async Task<TlsStageResult> InspectAsync(ClientHelloInfo hello, ReadOnlyMemory<byte> helloBytes, CancellationToken aborted)
    {
        // :: Step 4
        var upstreamStream = new UpstreamStream(server) { ReadsLeaveEventLoop = inspector.Validator.MayWaitOnNetwork };
        var upstream = new SslStream(upstreamStream, leaveInnerStreamOpen: false);
        SslStream? downstream = null;
        bool handedOff = false;
        try
        {
            CertificateVerdict verdict = default;
            string serverKey = TlsInspector.ServerKey(hello.ServerName, destination);
            var clientOptions = new SslClientAuthenticationOptions
            {
                TargetHost = hello.ServerName ?? string.Empty,
                ApplicationProtocols = hello.ApplicationProtocols.IsDefaultOrEmpty ? null : [.. hello.ApplicationProtocols],
                CertificateChainPolicy = inspector.Validator.ChainPolicyFor(serverKey),
                AllowRenegotiation = false,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    // Record, never refuse here: the profile decides below, and a refusal here would leave the
                    // client without the warning page.
                    verdict = inspector.Validator.Validate(certificate, chain, errors, hello.ServerName, destination.Address, serverKey);
                    return true;
                },
            };
            if (!await HandshakeAsync(upstream.AuthenticateAsClientAsync(clientOptions, TimeoutToken(aborted, out var upstreamDeadline)), upstreamDeadline, CloseSide.Server).ConfigureAwait(false))
            {
                return Fail(new CloseReason(CloseSide.Server, CloseKind.TlsHandshake), Info.Detail);
            }

            upstreamStream.ReadsLeaveEventLoop = false;
            Info.ServerVersion = Version(upstream.SslProtocol);
            Info.ServerCipher = upstream.NegotiatedCipherSuite.ToString();
            var alpn = upstream.NegotiatedApplicationProtocol;
            Info.Alpn = alpn.Protocol.IsEmpty ? null : alpn.ToString();
            Info.Verdict = verdict.ToString();
            var leaf = upstream.RemoteCertificate as X509Certificate2;
            if (leaf is null)
            {
                inspector.CountHandshakeError();
                return Fail(new CloseReason(CloseSide.Server, CloseKind.TlsHandshake), "server sent no certificate");
            }

            // :: Step 5
            bool warn = false;
            if (!inspector.Allows(verdict))
            {
                // A revoked certificate is never forgiven: no warning page, no override (browsers offer none either).
                bool revoked = (verdict.Problems & CertificateProblems.Revoked) != 0;
                if (!revoked && inspector.Overrides.IsAccepted(clientEndPoint.Address, serverKey, TlsInspector.Fingerprint(leaf)))
                {
                    inspector.CountOverridden();
                    Info.Verdict += " overridden";
                }
                else if (!revoked && inspector.Profile.OnFailure == TlsFailureAction.Warn && OffersHttp1(hello))
                {
                    warn = true;
                }
                else
                {
                    inspector.CountBlocked();
                    Info.Outcome = "blocked";
                    return Fail(new CloseReason(CloseSide.Proxy, CloseKind.TlsBlocked), "upstream certificate: " + verdict);
                }
            }

            // :: Step 6
            var context = await CertificateForClientAsync(leaf, hello, aborted).ConfigureAwait(false);
            downstream = new SslStream(new ReplayStream(client, helloBytes), leaveInnerStreamOpen: false);
            var serverOptions = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                ApplicationProtocols = warn ? [SslApplicationProtocol.Http11] : alpn.Protocol.IsEmpty ? null : [alpn],
                ClientCertificateRequired = false,
                AllowRenegotiation = false,
            };
            if (!await HandshakeAsync(downstream.AuthenticateAsServerAsync(serverOptions, TimeoutToken(aborted, out var downstreamDeadline)), downstreamDeadline, CloseSide.Client).ConfigureAwait(false))
            {
                return Fail(new CloseReason(CloseSide.Client, CloseKind.TlsHandshake), Info.Detail);
            }

            Info.ClientVersion = Version(downstream.SslProtocol);
            Info.ClientCipher = downstream.NegotiatedCipherSuite.ToString();

            // :: Step 7
            if (warn)
            {
                inspector.CountWarned();
                Info.Outcome = "warned";
                var page = TimeoutToken(aborted, out var pageDeadline);
                using (pageDeadline)
                {
                    await WarningPage.ServeAsync(downstream, inspector, clientEndPoint.Address, serverKey,
                        leaf, verdict, page).ConfigureAwait(false);
                }

                return Fail(new CloseReason(CloseSide.Proxy, CloseKind.TlsBlocked), "warning page served");
            }

            inspector.CountInspected();
            Info.Outcome = "inspect";
            var result = new TlsStageResult(new SslStreamLeg(downstream, client, CloseSide.Client), new SslStreamLeg(upstream, server, CloseSide.Server), default, CloseReason.None);
            handedOff = true;
            return result;
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException or ObjectDisposedException
            or OperationCanceledException or InvalidOperationException or System.Security.Cryptography.CryptographicException
            or ArgumentException or NotSupportedException)
        {
            inspector.CountHandshakeError();
            return Fail(new CloseReason(CloseSide.Proxy, CloseKind.TlsHandshake), e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            if (!handedOff)
            {
                downstream?.Dispose();
                upstream.Dispose();
            }
        }
    }

    /// <summary>Runs one handshake; on failure records why and returns false.</summary>
    private async Task<bool> HandshakeAsync(Task handshake, CancellationTokenSource deadline, CloseSide side)
    {
        try
        {
            await handshake.ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            inspector.CountHandshakeError();
            Info.Outcome = "handshake-error";
            Info.Detail = (side == CloseSide.Client ? "client" : "server") + " handshake: "
                + (e is OperationCanceledException ? "timed out" : (e.InnerException?.Message ?? e.Message));
            return false;
        }
        finally
        {
            deadline.Dispose();
        }
    }

    private CancellationToken TimeoutToken(CancellationToken aborted, out CancellationTokenSource deadline)
    {
        deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(inspector.Config.HandshakeTimeout);
        return deadline.Token;
    }

    private async ValueTask<SslStreamCertificateContext> CertificateForClientAsync(X509Certificate2 leaf, ClientHelloInfo hello, CancellationToken aborted)
    {
        if (inspector.Custom.TryGet(hello.ServerName, destination.Address, out var custom))
        {
            inspector.CountCustomServed();
            Info.Certificate = "custom";
            return custom.CertificateContext;
        }

        long asked = Stopwatch.GetTimestamp();
        var minted = await inspector.Certificates.GetOrMintAsync(leaf, hello.ServerName, hello.ServerName is null ? destination.Address : null,
            cancellationToken: aborted).ConfigureAwait(false);
        Info.Certificate = minted.MintedTimestamp >= asked ? "minted" : "cache";
        return minted.CertificateContext;
    }

    /// <summary>Plain listener: waits for the first bytes of either side without reading them.</summary>
    private async Task<bool> ClientStartsTlsAsync(CancellationToken aborted)
    {
        // Fast path: the upstream connect took a round trip, so a client-speaks-first client (HTTP, TLS) has
        // usually sent its first bytes by now; no waiting, no timer. (TcpSession tries this before it even
        // creates the stage.)
        var already = PeekFirstBytes(client);
        if (already != FirstBytes.NothingYet)
        {
            return already == FirstBytes.TlsRecord;
        }

        var speaker = await FirstSpeaker.WaitAsync(client, server, listener.IdleTimeout, aborted).ConfigureAwait(false);
        aborted.ThrowIfCancellationRequested();
        return speaker == Speaker.First && StartsWithHandshakeRecord();
    }

    private bool StartsWithHandshakeRecord() => PeekFirstBytes(client) == FirstBytes.TlsRecord;

    /// <summary>
    /// What the client's first bytes say, peeked without waiting (they stay in the socket for whoever reads
    /// next): a handshake record header starts 0x16 0x03 0x00-0x04. Three bytes, not one: a lone 0x16 from some
    /// binary protocol must not make Bellows wait for a ClientHello that never comes; a TLS client sends its
    /// whole hello at once.
    /// </summary>
    internal static FirstBytes PeekFirstBytes(Socket client)
    {
        Span<byte> head = stackalloc byte[3];
        int n = SocketPeek.TryPeek(client, head);
        if (n == SocketPeek.NothingYet)
        {
            return FirstBytes.NothingYet;
        }

        return n == 3 && head[0] == HandshakeRecord && head[1] == 3 && head[2] <= 4 ? FirstBytes.TlsRecord : FirstBytes.Other;
    }

    private void Describe(ClientHelloInfo hello)
    {
        Info.ServerName = hello.ServerName;
        Info.OfferedAlpn = hello.ApplicationProtocols.IsDefaultOrEmpty ? null : string.Join(',', hello.ApplicationProtocols.Select(p => p.ToString()));
        Info.Ja4 = hello.ComputeJa4();
    }

    private static bool OffersHttp1(ClientHelloInfo hello) =>
        hello.ApplicationProtocols.IsDefaultOrEmpty || hello.ApplicationProtocols.Contains(SslApplicationProtocol.Http11);

    private TlsStageResult Fail(CloseReason reason, string? detail)
    {
        Info.Detail = detail;
        return TlsStageResult.Failed(reason);
    }

    private static string Version(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => protocol.ToString(),
    };
}
