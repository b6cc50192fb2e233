// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;

namespace Bellows.FunctionalTests.Tcp;

/// <summary>nat none: Bellows connects upstream from the client's own address and port (shared acceptor socket).</summary>
public class NoNatTests(NoNatLab fixture) : IClassFixture<NoNatLab>
{
    [Fact]
    public async Task NatNone_ServerSeesClientAddressAndPort()
    {
        var result = await fixture.Lab.CurlAsync("-w", " local=%{local_port}", $"http://{LabTopology.ServerV4}/whoami");
        Assert.True(result.Succeeded, result.StandardError);
        var parts = result.StandardOutput.Split(" local=");
        Assert.Equal($"{LabTopology.ClientV4}:{parts[1]}\n", parts[0]);
        await fixture.WaitForSessionLineAsync($"dst={LabTopology.ServerV4}:80 ", "reason=client-fin");
    }

    [Fact]
    public async Task NatNone_IPv6_ServerSeesClientAddress()
    {
        var result = await fixture.Lab.CurlAsync("-6", $"http://[{LabTopology.ServerV6}]/whoami");
        Assert.True(result.Succeeded, result.StandardError);
        Assert.StartsWith($"[{LabTopology.ClientV6}]:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NatNone_Udp_ServerSeesClientAddressAndPort()
    {
        using var socket = UdpClients.Create(fixture.Lab.Topology.Client, 1)[0];
        await socket.SendToAsync(new byte[] { 1 }, System.Net.Sockets.SocketFlags.None, new System.Net.IPEndPoint(LabTopology.ServerV4, 7008));
        var (data, _) = await UdpClients.ReceiveAsync(socket, TimeSpan.FromSeconds(5));
        int port = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
        Assert.Equal($"{LabTopology.ClientV4}:{port}", System.Text.Encoding.ASCII.GetString(data));
    }

    [Fact]
    public async Task NatNone_ManyConnections_AllSpoofedAndQuiescent()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.Lab.CurlAsync($"http://{LabTopology.ServerV4}/whoami")));
        Assert.All(results, r => Assert.StartsWith(LabTopology.ClientV4 + ":", r.StandardOutput, StringComparison.Ordinal));
        await fixture.AssertQuiescentAsync();
    }
}
