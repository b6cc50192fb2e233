// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Proxy.Sessions;

namespace Bellows.Proxy.Tests.Sessions;

public class CloseReasonTests
{
    [Theory]
    [InlineData(SocketError.ConnectionReset, CloseKind.Reset, "server-rst")]
    [InlineData(SocketError.ConnectionRefused, CloseKind.Refused, "server-refused")]
    [InlineData(SocketError.HostUnreachable, CloseKind.Unreachable, "server-unreachable(HostUnreachable)")]
    [InlineData(SocketError.NetworkUnreachable, CloseKind.Unreachable, "server-unreachable(NetworkUnreachable)")]
    [InlineData(SocketError.TimedOut, CloseKind.ConnectTimeout, "server-connect-timeout(TimedOut)")]
    [InlineData(SocketError.MessageSize, CloseKind.Error, "server-error(MessageSize)")]
    public void FromSocketError_ServerSide_MapsKindAndText(SocketError error, CloseKind kind, string text)
    {
        var reason = CloseReason.FromSocketError(CloseSide.Server, error);
        Assert.Equal(CloseSide.Server, reason.Side);
        Assert.Equal(kind, reason.Kind);
        Assert.Equal(text, reason.ToString());
    }

    [Fact]
    public void ToString_None_IsNone() => Assert.Equal("none", CloseReason.None.ToString());

    [Fact]
    public void FirstCloseReason_SecondSet_IsIgnored()
    {
        var first = new FirstCloseReason();
        Assert.True(first.TrySet(new CloseReason(CloseSide.Client, CloseKind.Fin)));
        Assert.False(first.TrySet(new CloseReason(CloseSide.Server, CloseKind.Reset, SocketError.ConnectionReset)));
        Assert.Equal(new CloseReason(CloseSide.Client, CloseKind.Fin), first.Value);
    }

    [Fact]
    public void FirstCloseReason_None_IsNotRecorded()
    {
        var first = new FirstCloseReason();
        Assert.False(first.TrySet(CloseReason.None));
        Assert.True(first.Value.IsNone);
        Assert.True(first.TrySet(new CloseReason(CloseSide.Proxy, CloseKind.IdleTimeout)));
        Assert.Equal("proxy-idle-timeout", first.Value.ToString());
    }

    [Fact]
    public void FirstCloseReason_KeepsErrorCode()
    {
        var first = new FirstCloseReason();
        first.TrySet(new CloseReason(CloseSide.Server, CloseKind.Error, SocketError.MessageSize));
        Assert.Equal(SocketError.MessageSize, first.Value.Error);
    }

    [Fact]
    public async Task FirstCloseReason_RacingSetters_ExactlyOneWins()
    {
        for (int round = 0; round < 200; round++)
        {
            var holder = new Holder();
            int wins = 0;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() =>
            {
                if (holder.TrySet(new CloseReason(CloseSide.Client, (CloseKind)(i + 1))))
                {
                    Interlocked.Increment(ref wins);
                }
            })));
            Assert.Equal(1, wins);
            Assert.False(holder.Value.IsNone);
        }
    }

    private sealed class Holder
    {
        private FirstCloseReason _reason;

        public bool TrySet(CloseReason r) => _reason.TrySet(r);

        public CloseReason Value => _reason.Value;
    }
}
