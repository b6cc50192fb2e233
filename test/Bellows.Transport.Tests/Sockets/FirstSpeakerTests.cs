// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Transport.Sockets;

namespace Bellows.Transport.Tests.Sockets;

/// <summary>
/// Two connected pairs: <c>client</c> talks to <c>near</c>, <c>server</c> to <c>far</c>; the race watches
/// <c>near</c> and <c>far</c> as a proxy watches its two legs.
/// </summary>
[Collection(nameof(FirstSpeakerTests))]
public sealed class FirstSpeakerTests : IAsyncLifetime
{
    private (Socket Near, Socket Peer) _client;
    private (Socket Near, Socket Peer) _server;

    public async Task InitializeAsync()
    {
        _client = await PairAsync();
        _server = await PairAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var socket in new[] { _client.Near, _client.Peer, _server.Near, _server.Peer })
        {
            socket.Dispose();
        }

        return Task.CompletedTask;
    }

    private static async Task<(Socket Near, Socket Peer)> PairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = peer.ConnectAsync(listener.LocalEndPoint!);
        var near = await listener.AcceptAsync();
        await connect;
        return (near, peer);
    }

    [Fact]
    public async Task ClientSpeaksFirst_First_AndBothSidesLoseNothing()
    {
        var race = FirstSpeaker.WaitAsync(_client.Near, _server.Near, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(race.IsCompleted);

        await _client.Peer.SendAsync(new byte[] { 0x16, 3, 1 });
        var speaker = await race.WaitAsync(TimeSpan.FromSeconds(5));

        // The loser's zero-byte receive is still queued on its socket: later data reaches the next reader whole.
        await _server.Peer.SendAsync(new byte[] { 1, 2, 3, 4 });
        var fromServer = new byte[8];
        int serverRead = await _server.Near.ReceiveAsync(fromServer).WaitAsync(TimeSpan.FromSeconds(5));
        var fromClient = new byte[8];
        int clientRead = await _client.Near.ReceiveAsync(fromClient).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(Speaker.First, speaker);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, fromServer[..serverRead]);
        Assert.Equal(new byte[] { 0x16, 3, 1 }, fromClient[..clientRead]);
    }

    [Fact]
    public async Task ServerSpeaksFirst_Second()
    {
        var race = FirstSpeaker.WaitAsync(_client.Near, _server.Near, TimeSpan.FromSeconds(10), CancellationToken.None);

        await _server.Peer.SendAsync("220 smtp ready\r\n"u8.ToArray());

        Assert.Equal(Speaker.Second, await race.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task NobodySpeaks_NobodyAfterTheTimeout()
    {
        var started = DateTime.UtcNow;

        var speaker = await FirstSpeaker.WaitAsync(_client.Near, _server.Near, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal(Speaker.Nobody, speaker);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task ServerCloses_ItsEndOfStreamWins()
    {
        var race = FirstSpeaker.WaitAsync(_client.Near, _server.Near, TimeSpan.FromSeconds(10), CancellationToken.None);

        _server.Peer.Shutdown(SocketShutdown.Send);

        Assert.Equal(Speaker.Second, await race.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>The point of the class: the loser is not cancelled, so nothing is thrown on the way.</summary>
    [Fact]
    public async Task Race_ThrowsNothing()
    {
        int thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is OperationCanceledException or SocketException)
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            var race = FirstSpeaker.WaitAsync(_client.Near, _server.Near, TimeSpan.FromSeconds(10), CancellationToken.None);
            await _client.Peer.SendAsync(new byte[] { 1 });
            Assert.Equal(Speaker.First, await race.WaitAsync(TimeSpan.FromSeconds(5)));
            await Task.Delay(50);
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        Assert.Equal(0, thrown);
    }
}

/// <summary>
/// <see cref="FirstSpeakerTests.Race_ThrowsNothing"/> counts exceptions process-wide: no other test class may run
/// beside it.
/// </summary>
[CollectionDefinition(nameof(FirstSpeakerTests), DisableParallelization = true)]
public sealed class FirstSpeakerCollection;
