// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Certificates;

/// <summary>Figures from <see cref="MintingBenchmark.Run(int)"/>; times are per certificate.</summary>
/// <param name="Count">Certificates minted (after warm-up).</param>
/// <param name="P50Milliseconds">Median.</param>
/// <param name="P99Milliseconds">99th percentile.</param>
/// <param name="MeanMilliseconds">Mean.</param>
/// <param name="CertificatesPerSecond">Throughput of one thread minting back to back.</param>
/// <param name="IncludesCertificateContext">True when each sample also built the SslStreamCertificateContext.</param>
/// <param name="KeysGeneratedInline">Mints that found the <see cref="MintingKeyPool"/> empty and made their own key.</param>
/// <param name="CpuMillisecondsPerCertificate">The process's CPU time over the run per certificate: every thread,
/// the pool's background key generation included.</param>
public readonly record struct MintingBenchmarkResult(
    int Count,
    double P50Milliseconds,
    double P99Milliseconds,
    double MeanMilliseconds,
    double CertificatesPerSecond,
    bool IncludesCertificateContext,
    long KeysGeneratedInline = 0,
    double CpuMillisecondsPerCertificate = 0)
{
    public override string ToString() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{Count} certs{(IncludesCertificateContext ? " (+context)" : "")}: p50 {P50Milliseconds:F3} ms, p99 {P99Milliseconds:F3} ms, mean {MeanMilliseconds:F3} ms, {CertificatesPerSecond:F0} certs/s, CPU {CpuMillisecondsPerCertificate:F3} ms/cert, {KeysGeneratedInline} keys made inline");
}
