// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Certificates;

/// <summary>
/// Measures minting on one thread with an ephemeral CA, for the benchmark harness (not a unit test: timings
/// on a shared machine are not assertions).
/// </summary>
public static class MintingBenchmark
{
    private const int WarmUp = 50;

    /// <summary>Mints <paramref name="count"/> certificates, each for a distinct uncovered SNI.</summary>
    public static MintingBenchmarkResult Run(int count) => Run(count, includeCertificateContext: false);

    /// <param name="count">Certificates to mint after warm-up.</param>
    /// <param name="includeCertificateContext">Also build each certificate's SslStreamCertificateContext.</param>
    public static MintingBenchmarkResult Run(int count, bool includeCertificateContext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var authority = CertificateAuthority.CreateEphemeral("Bellows benchmark CA");
        // As the proxy mints: with keys made ahead of need (the pool refills on another thread while this one mints).
        using var keys = new MintingKeyPool(fill: true);
        var minter = new CertificateMinter(authority, keys: keys);
        using var upstream = CreateUpstream();
        var issuer = MintedCertificateCache.IssuerToSend(authority);

        for (int i = 0; i < WarmUp; i++)
        {
            MintOne(minter, upstream, $"warm{i}.bench.invalid", includeCertificateContext, issuer);
        }

        var samples = new double[count];
        long inlineBefore = keys.GeneratedInline;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            MintOne(minter, upstream, $"host{i}.bench.invalid", includeCertificateContext, issuer);
            samples[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        double total = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Array.Sort(samples);
        return new MintingBenchmarkResult(
            count,
            Percentile(samples, 0.50),
            Percentile(samples, 0.99),
            samples.Average(),
            count / total,
            includeCertificateContext,
            keys.GeneratedInline - inlineBefore,
            cpu.TotalMilliseconds / count);
    }

    private static void MintOne(CertificateMinter minter, X509Certificate2 upstream, string serverName, bool withContext, X509Certificate2? issuer)
    {
        var template = CertificateTemplate.FromUpstream(upstream, serverName, targetAddress: null);
        using var certificate = minter.Mint(template);
        if (withContext)
        {
            // As the proxy builds it for the first connection that uses the certificate.
            _ = new MintedCertificate(certificate, template, issuer).CertificateContext;
        }
    }

    /// <summary>A typical real leaf: a DN with a few attributes and a dozen SANs.</summary>
    private static X509Certificate2 CreateUpstream()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=www.example.com, O=Example Inc, L=Springfield, C=US", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        for (int i = 0; i < 12; i++)
        {
            san.AddDnsName($"www{i}.example.com");
        }

        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddDays(-10), now.AddDays(80));
        return X509CertificateLoader.LoadCertificate(created.RawData);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
