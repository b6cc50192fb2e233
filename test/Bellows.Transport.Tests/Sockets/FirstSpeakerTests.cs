// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Sockets;
using Bellows.Transport.Sockets;

namespace Bellows.Transport.Tests.Sockets;

/// <summary>
/// Two connected pairs: the race watches the B ends as a proxy watches its two legs; the A ends play client and
/// server.
/// </summary>
[Collection(nameof(FirstSpeakerTests))]
public sealed class FirstSpeakerTests : IAsyncLifetime
{
    private SocketPair _client = null!;
    private SocketPair _server = null!;

    public async Task InitializeAsync()
    {
        _client = await SocketPair.CreateAsync();
        _server = await SocketPair.CreateAsync();
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ClientSpeaksFirst_First_AndBothSidesLoseNothing()
    {
        var race = FirstSpeaker.WaitAsync(_client.B, _server.B, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(race.IsCompleted);

        await _client.A.SendAsync(new byte[] { 0x16, 3, 1 });
        var speaker = await race.WaitAsync(TimeSpan.FromSeconds(5));

        // The loser's zero-byte receive is still queued on its socket: later data reaches the next reader whole.
        await _server.A.SendAsync(new byte[] { 1, 2, 3, 4 });
        var fromServer = new byte[8];
        int serverRead = await _server.B.ReceiveAsync(fromServer).WaitAsync(TimeSpan.FromSeconds(5));
        var fromClient = new byte[8];
        int clientRead = await _client.B.ReceiveAsync(fromClient).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(Speaker.First, speaker);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, fromServer[..serverRead]);
        Assert.Equal(new byte[] { 0x16, 3, 1 }, fromClient[..clientRead]);
    }

    [Fact]
    public async Task ServerSpeaksFirst_Second()
    {
        var race = FirstSpeaker.WaitAsync(_client.B, _server.B, TimeSpan.FromSeconds(10), CancellationToken.None);

        await _server.A.SendAsync("220 smtp ready\r\n"u8.ToArray());

        Assert.Equal(Speaker.Second, await race.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task NobodySpeaks_NobodyAfterTheTimeout()
    {
        var started = DateTime.UtcNow;

        var speaker = await FirstSpeaker.WaitAsync(_client.B, _server.B, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        Assert.Equal(Speaker.Nobody, speaker);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task ServerCloses_ItsEndOfStreamWins()
    {
        var race = FirstSpeaker.WaitAsync(_client.B, _server.B, TimeSpan.FromSeconds(10), CancellationToken.None);

        _server.A.Shutdown(SocketShutdown.Send);

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
            var race = FirstSpeaker.WaitAsync(_client.B, _server.B, TimeSpan.FromSeconds(10), CancellationToken.None);
            await _client.A.SendAsync(new byte[] { 1 });
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
