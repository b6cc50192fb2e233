// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// Hostile and broken clients on the TLS port: each session ends, and afterwards no session is live and no
/// pool buffer is outstanding (status JSON). Raw sockets from the client namespace, so the bytes are exact.
/// </summary>
public partial class TlsInspectionTests
{
    private static readonly IPEndPoint Https = new(LabTopology.ServerV4, 443);

    [Fact]
    public async Task GarbageBytes_OnTlsPort_SessionEndsAndQuiescent()
    {
        // Not a handshake record: non_tls relay passes it on, and the origin's TLS stack gives up on it.
        var garbage = RandomNumberGenerator.GetBytes(2000);
        garbage[0] = (byte)'G';
        var (how, _) = await SendAndWaitForCloseAsync(garbage, close: false, TimeSpan.FromSeconds(15));
        Assert.NotEqual("open", how);
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task HandshakeRecordWithGarbageBody_SessionEndsAndQuiescent()
    {
        var body = RandomNumberGenerator.GetBytes(256);
        body[0] = 1;
        body[1] = 0;
        body[2] = 0;
        body[3] = 252;
        byte[] record = [0x16, 0x03, 0x01, 0x01, 0x00, .. body];
        var (how, _) = await SendAndWaitForCloseAsync(record, close: false, TimeSpan.FromSeconds(15));
        Assert.NotEqual("open", how);
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task TruncatedHello_ClientCloses_Quiescent()
    {
        byte[] hello = ClientHelloBytes.Build(LabOriginNames.Www);
        await SendAndWaitForCloseAsync(hello[..(hello.Length / 2)], close: true, TimeSpan.FromSeconds(10));
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task TruncatedHello_HeldOpen_ClosedAtHelloTimeout()
    {
        byte[] hello = ClientHelloBytes.Build(LabOriginNames.Www);
        var (how, took) = await SendAndWaitForCloseAsync(hello[..(hello.Length / 2)], close: false, TimeSpan.FromSeconds(15));
        Assert.True(how != "open", "Bellows still holds the session after 15 s");
        Assert.InRange(took.TotalSeconds, TlsInspectLab.HelloTimeoutSeconds - 0.5, TlsInspectLab.HelloTimeoutSeconds + 3);
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task OversizedHello_16MiBClaimed_RejectedAndQuiescent()
    {
        // 8 full records (128 KiB) of a hello that claims 16 MiB: more than anyone should buffer.
        var (how, _) = await SendAndWaitForCloseAsync(ClientHelloBytes.Oversized(0xFFFFF0, 8), close: false, TimeSpan.FromSeconds(15));
        Assert.NotEqual("open", how);
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task RecordLongerThanTlsAllows_RejectedAndQuiescent()
    {
        // A record may carry at most 16 KiB of plaintext (RFC 8446 5.1); this one claims 64 KiB - 1.
        byte[] record = [0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0x00, 0xff, 0xfb, .. new byte[65531]];
        var (how, _) = await SendAndWaitForCloseAsync(record, close: false, TimeSpan.FromSeconds(15));
        Assert.NotEqual("open", how);
        await fixture.AssertQuiescentAsync();
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> (a reset while sending counts as the close), optionally closes our side,
    /// then reads until Bellows closes: returns "fin", "reset" or "open" (still open after <paramref name="patience"/>)
    /// and the time from the end of sending.
    /// </summary>
    private async Task<(string How, TimeSpan Took)> SendAndWaitForCloseAsync(byte[] bytes, bool close, TimeSpan patience)
    {
        using var socket = await ClientSockets.ConnectAsync(Client, Https);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
        }
        catch (SocketException)
        {
            return ("reset", TimeSpan.Zero);
        }

        var watch = Stopwatch.StartNew();
        if (close)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        using var timeout = new CancellationTokenSource(patience);
        var buffer = new byte[16384];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return ("fin", watch.Elapsed);
        }
        catch (SocketException)
        {
            return ("reset", watch.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return ("open", watch.Elapsed);
        }
    }
}
