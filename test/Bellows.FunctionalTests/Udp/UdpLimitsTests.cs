// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;

namespace Bellows.FunctionalTests.Udp;

/// <summary>A lab with a small flow table and short UDP timeouts, for floods, ICMP errors and expiry.</summary>
public sealed class UdpLimitsLab : LabFixture
{
    protected override LabOptions Options => new() { Prefix = "ftudp" };

    protected override string? ConfigText => LabConfigWriter.Render(Options, Lab.Topology.ManagementSocket)
        .Replace("\"relay\": {", "\"udp\": { \"idle_timeout\": 3, \"max_flows\": 4000 },\n  \"relay\": {", StringComparison.Ordinal);
}

public class UdpLimitsTests(UdpLimitsLab fixture) : IClassFixture<UdpLimitsLab>
{
    private static readonly IPEndPoint Echo = new(LabTopology.ServerV4, 7007);

    [Fact]
    public async Task IcmpPortUnreachable_EndsTheFlow()
    {
        using var socket = UdpClients.Create(fixture.Lab.Topology.Client, 1)[0];
        await socket.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, new IPEndPoint(LabTopology.ServerV4, 7090));
        string line = await fixture.WaitForSessionLineAsync("flow ", "dst=198.18.1.2:7090 ", "reason=server-refused");
        Assert.Matches(@"duration_ms=\d{1,3} ", line);
    }

    [Fact]
    public async Task Dtls_HandshakeAndDataPassThroughUnchanged()
    {
        string dir = fixture.Lab.WorkDirectory;
        var key = await CommandRunnerShellAsync($"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {dir}/dtls-key.pem -out {dir}/dtls-cert.pem -days 2 -subj /CN=dtls.lab.test");
        Assert.True(key.Succeeded, key.StandardError);
        var server = fixture.Lab.Topology.Server.ShellAsync(
            $"(sleep 2; echo 'reply from dtls server'; sleep 3) | timeout 10 openssl s_server -dtls1_2 -accept 4433 -cert {dir}/dtls-cert.pem -key {dir}/dtls-key.pem -naccept 1 -quiet",
            TimeSpan.FromSeconds(15));
        await Task.Delay(500);
        var client = await fixture.Lab.Topology.Client.ShellAsync(
            "(echo 'hello from dtls client'; sleep 4) | timeout 8 openssl s_client -dtls1_2 -connect 198.18.1.2:4433 -quiet", TimeSpan.FromSeconds(15));
        var served = await server;
        Assert.Contains("reply from dtls server", client.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hello from dtls client", served.StandardOutput, StringComparison.Ordinal);

        // The whole DTLS exchange was one flow through Bellows (it ends 3 s after the last datagram).
        string line = await fixture.WaitForSessionLineAsync("flow ", "dst=198.18.1.2:4433 ");
        Assert.Matches(@"dgrams_up=([3-9]|\d\d+) ", line);
        Assert.Matches(@"dgrams_down=([3-9]|\d\d+) ", line);
    }

    [Fact]
    public async Task Flood_100000SourcePorts_BellowsSurvivesWithinFdBudget_AndGoodFlowWorks()
    {
        var client = fixture.Lab.Topology.Client;
        await client.RunAsync("ip", "addr", "add", "198.18.0.3/24", "dev", "eth0");
        var bellows = fixture.Bellows;
        long maxFds = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var s = await bellows.GetStatusAsync();
                    maxFds = Math.Max(maxFds, s.OpenFileDescriptors);
                }
                catch (IOException)
                {
                    // The management socket is served by the same (flooded) thread pool: a slow answer is not a failure here.
                }

                await Task.Delay(100);
            }
        });

        // 2 source addresses × 50,000 ports: 100,000 distinct flows, each one datagram, at about 2,500 a
        // second: half of what Bellows opens per second on this 2-core machine while the sender shares the CPU
        // (faster floods queue or drop at the listener; see the issue note for the measured limit).
        var watch = Stopwatch.StartNew();
        var flood = Task.Run(() => client.Invoke(() =>
        {
            var payload = new byte[32];
            var pace = Stopwatch.StartNew();
            int sent = 0;
            foreach (var source in new[] { "198.18.0.2", "198.18.0.3" })
            {
                for (int port = 10_000; port < 60_000; port++)
                {
                    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    try
                    {
                        s.Bind(new IPEndPoint(IPAddress.Parse(source), port));
                    }
                    catch (SocketException)
                    {
                        continue; // port in use in the client namespace
                    }

                    s.SendTo(payload, Echo);
                    sent++;
                    while (pace.Elapsed.TotalSeconds * 2_500 < sent)
                    {
                        Thread.Sleep(1);
                    }
                }
            }

            return sent;
        }));

        // A well-behaved flow started during the flood (dig retries, as real resolvers do).
        await Task.Delay(2000);
        var dig = await client.RunAsync(["dig", "+short", "+time=2", "+tries=8", "@198.18.1.2", LabDnsServer.Name], TimeSpan.FromSeconds(30));
        int sent = await flood;
        watch.Stop();
        await Task.Delay(500);
        await stop.CancelAsync();
        await watcher;

        Assert.True(sent > 95_000, $"sent only {sent}");
        // Earlier tries may time out while the flood queues ahead of it; the answer must come within the retries.
        Assert.True(dig.Succeeded && dig.StandardOutput.Trim().EndsWith(LabDnsServer.Address, StringComparison.Ordinal), $"dig during the flood: {dig.StandardOutput}");
        Assert.False(bellows.HasExited);
        Assert.InRange(maxFds, 1, 19_900);
        var status = await bellows.GetStatusAsync();
        var flows = status.Listeners.Single(l => l.Name == "udp").Flows!;
        Assert.True(flows.Created > 20_000, $"created {flows.Created}");
        Assert.True(flows.Evicted > 0, "the 4,000-flow table never evicted");
        Assert.InRange(flows.Active, 0, 4000);

        // Flows end 3 s after their last datagram; then nothing is left behind.
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (DateTime.UtcNow < deadline)
        {
            status = await bellows.GetStatusAsync();
            if (status.LiveSessions == 0 && status.Pool.Outstanding == 0)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.True(status.LiveSessions == 0, "live after the flood: " + Bellows.Proxy.Status.ProxyStatusJson.Serialize(status));
        Assert.Equal(0, status.Pool.Outstanding);
        Assert.Equal(0, status.Listeners.Single(l => l.Name == "udp").Flows!.Active);
        Assert.True(status.OpenFileDescriptors < 200, $"{status.OpenFileDescriptors} fds still open");
    }

    private static Task<Bellows.Lab.Processes.CommandResult> CommandRunnerShellAsync(string script) =>
        Bellows.Lab.Processes.CommandRunner.ShellAsync(script, TimeSpan.FromSeconds(20));
}
