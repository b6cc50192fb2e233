// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Tls.Certificates;

namespace Bellows.Tls.Tests.Certificates;

/// <summary>Correctness of the measuring program only; the figures themselves are not asserted.</summary>
public class MintingBenchmarkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_ReturnsConsistentFigures(bool withContext)
    {
        var result = MintingBenchmark.Run(20, withContext);

        Assert.Equal(20, result.Count);
        Assert.True(result.P50Milliseconds > 0);
        Assert.True(result.P99Milliseconds >= result.P50Milliseconds);
        Assert.True(result.MeanMilliseconds > 0);
        Assert.True(result.CertificatesPerSecond > 0);
        Assert.Equal(withContext, result.IncludesCertificateContext);
        Assert.True(result.CpuMillisecondsPerCertificate > 0);
        Assert.InRange(result.KeysGeneratedInline, 0, 20);
        Assert.Contains("certs/s", result.ToString(), StringComparison.Ordinal);
    }
}
