// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Certificates;

/// <summary>Figures from <see cref="MintingBenchmark.Run(int)"/>; times are per certificate.</summary>
/// <param name="Count">Certificates minted (after warm-up).</param>
/// <param name="P50Milliseconds">Median.</param>
/// <param name="P99Milliseconds">99th percentile.</param>
/// <param name="MeanMilliseconds">Mean.</param>
/// <param name="CertificatesPerSecond">Throughput of one thread minting back to back.</param>
/// <param name="IncludesCertificateContext">True when each sample also built the SslStreamCertificateContext.</param>
public readonly record struct MintingBenchmarkResult(
    int Count,
    double P50Milliseconds,
    double P99Milliseconds,
    double MeanMilliseconds,
    double CertificatesPerSecond,
    bool IncludesCertificateContext)
{
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Count} certs{(IncludesCertificateContext ? " (+context)" : "")}: p50 {P50Milliseconds:F3} ms, p99 {P99Milliseconds:F3} ms, mean {MeanMilliseconds:F3} ms, {CertificatesPerSecond:F0} certs/s");
}
