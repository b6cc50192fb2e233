// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using Bellows.Config.Internal;

namespace Bellows.Config.Tests.Internal;

public class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("port", "port", 0)]
    [InlineData("prot", "port", 2)]
    [InlineData("por", "port", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Between_TwoStrings_IsLevenshteinDistance(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }

    [Fact]
    public void Closest_SeveralCandidates_PicksTheNearestWithinLimit()
    {
        string[] keys = ["acceptors", "acceptor_mode", "backlog"];

        Assert.Equal("acceptors", EditDistance.Closest("aceptors", keys, 2));
        Assert.Null(EditDistance.Closest("threads", keys, 2));
    }
}
