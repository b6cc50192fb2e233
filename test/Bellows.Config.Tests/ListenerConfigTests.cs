// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class ListenerConfigTests
{
    private static readonly ListenerConfig s_listener = new() { Name = "a", Mode = ListenerMode.Tproxy, Port = 1 };

    [Fact]
    public void Equals_SameAddressesInNewList_AreEqual()
    {
        var a = s_listener with { Addresses = ["10.0.0.1", "::1"] };
        var b = s_listener with { Addresses = new List<string> { "10.0.0.1", "::1" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_AddressesInOtherOrder_AreNotEqual()
    {
        Assert.NotEqual(s_listener with { Addresses = ["::", "0.0.0.0"] }, s_listener);
    }

    [Theory]
    [InlineData(nameof(ListenerConfig.Nat))]
    [InlineData(nameof(ListenerConfig.Enabled))]
    [InlineData(nameof(ListenerConfig.Backlog))]
    [InlineData(nameof(ListenerConfig.Tls))]
    public void Equals_ScalarChanged_AreNotEqual(string property)
    {
        var changed = property switch
        {
            nameof(ListenerConfig.Nat) => s_listener with { Nat = NatMode.None },
            nameof(ListenerConfig.Enabled) => s_listener with { Enabled = false },
            nameof(ListenerConfig.Tls) => s_listener with { Tls = TlsListenerMode.Detect },
            _ => s_listener with { Backlog = 1 },
        };

        Assert.NotEqual(s_listener, changed);
    }

    [Fact]
    public void Addresses_InitFromMutableList_IsCopied()
    {
        var source = new List<string> { "10.0.0.1" };
        var listener = s_listener with { Addresses = source };

        source.Add("10.0.0.2");

        Assert.Equal(["10.0.0.1"], listener.Addresses);
    }
}
