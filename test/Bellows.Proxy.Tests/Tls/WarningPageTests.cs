// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Tls;

namespace Bellows.Proxy.Tests.Tls;

public class WarningPageTests
{
    /// <summary>The page says how long an override lasts in words a person reads ("0 minutes" for 3 s was wrong).</summary>
    [Theory]
    [InlineData(1, "1 second")]
    [InlineData(3, "3 seconds")]
    [InlineData(90, "90 seconds")]
    [InlineData(60, "1 minute")]
    [InlineData(600, "10 minutes")]
    [InlineData(7_200, "2 hours")]
    [InlineData(5_400, "90 minutes")]
    [InlineData(86_400, "1 day")]
    [InlineData(2_592_000, "30 days")]
    public void Describe_LargestExactUnit(int seconds, string expected) =>
        Assert.Equal(expected, WarningPage.Describe(TimeSpan.FromSeconds(seconds)));
}
