// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab;
using Bellows.Lab.Network;

namespace Bellows.FunctionalTests.Tcp;

/// <summary>Short timeouts: idle expiry and graceful stop within the drain deadline.</summary>
public sealed class LifecycleLab : LabFixture
{
    protected override LabOptions Options => new() { Prefix = "ftlife", DrainSeconds = 2 };

    protected override string? ConfigText => LabConfigWriter.Render(Options, Lab.Topology.ManagementSocket)
        .Replace("\"relay\": {", "\"udp\": { \"idle_timeout\": 2 },\n  \"relay\": { \"idle_timeout\": 2, \"connect_timeout\": 1,", StringComparison.Ordinal);
}

public class LifecycleTests(LifecycleLab fixture) : IClassFixture<LifecycleLab>
{
    private static readonly IPEndPoint Echo = new(LabTopology.ServerV4, 7007);

    [Fact]
    public async Task IdleSession_IsResetAfterIdleTimeout()
    {
        using var socket = await ClientSockets.ConnectAsync(fixture.Lab.Topology.Client, Echo);
        await ClientSockets.EchoOneByteAsync(socket, 42);
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<SocketException>(async () => await socket.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
        Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 1.0, 4.5);
        await fixture.WaitForSessionLineAsync("dst=198.18.1.2:7007 ", "reason=proxy-idle-timeout");
        await fixture.AssertQuiescentAsync();
    }

    [Fact]
    public async Task UnreachableUpstream_ClientResetAtConnectTimeout()
    {
        // Nobody owns 198.18.1.99 on the server link: ARP never answers, the connect times out after 1 s.
        var watch = Stopwatch.StartNew();
        var result = await fixture.Lab.CurlAsync("http://198.18.1.99:7010/");
        watch.Stop();
        Assert.Equal(56, result.ExitCode);
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.8, 2.9);
        await fixture.WaitForSessionLineAsync("dst=198.18.1.99:7010 ", "reason=server-connect-timeout");
    }

    [Fact]
    public async Task ActiveSession_IsNotTimedOut()
    {
        using var socket = await ClientSockets.ConnectAsync(fixture.Lab.Topology.Client, Echo);
        for (int i = 0; i < 8; i++)
        {
            await ClientSockets.EchoOneByteAsync(socket, (byte)i);
            await Task.Delay(500);
        }

        // 4 s of traffic every 0.5 s with a 2 s idle timeout: still alive.
        await ClientSockets.EchoOneByteAsync(socket, 99);
    }

    [Fact]
    public async Task Sigterm_WithOpenSessions_StopsWithinDrainDeadline()
    {
        var sockets = await ClientSockets.ConnectManyAsync(fixture.Lab.Topology.Client, Echo, 20);
        try
        {
            await Task.WhenAll(sockets.Select((s, i) => ClientSockets.EchoOneByteAsync(s, (byte)i)));
            var bellows = fixture.Bellows;
            var took = await bellows.StopAsync(TimeSpan.FromSeconds(10));

            // Idle sessions keep the drain going to its 2 s deadline; then they are reset and Bellows exits.
            Assert.InRange(took.TotalSeconds, 1.8, 3.5);
            Assert.Equal(0, bellows.ExitCode);
            Assert.Equal(20, fixture.SessionLines("reason=proxy-shutdown").Count);

            // The clients learn it: their connections were reset.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var error = await Assert.ThrowsAsync<SocketException>(async () => await sockets[0].ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
            await fixture.Lab.StopBellowsAsync();
            await fixture.Lab.StartBellowsAsync(ConfigFor(fixture));
        }
    }

    [Fact]
    public async Task Sigterm_WithoutSessions_StopsPromptly()
    {
        try
        {
            await fixture.AssertQuiescentAsync();
            var took = await fixture.Bellows.StopAsync(TimeSpan.FromSeconds(10));
            Assert.True(took < TimeSpan.FromSeconds(1.5), $"stop took {took}");
        }
        finally
        {
            await fixture.Lab.StopBellowsAsync();
            await fixture.Lab.StartBellowsAsync(ConfigFor(fixture));
        }
    }

    private static string ConfigFor(LifecycleLab lab) => File.ReadAllText(Path.Combine(lab.Lab.WorkDirectory, "bellows.jsonc"));
}
