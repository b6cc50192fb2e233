// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Certificates;

/// <summary>A minted certificate as held by <see cref="MintedCertificateCache"/>.</summary>
public sealed class MintedCertificate
{
    private readonly X509Certificate2? _issuer;
    private readonly Lock _contextLock = new();
    private SslStreamCertificateContext? _context;

    internal MintedCertificate(X509Certificate2 certificate, CertificateTemplate template, X509Certificate2? issuer)
    {
        Certificate = certificate;
        Template = template;
        _issuer = issuer;
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
    }

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public CertificateTemplate Template { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>When it was minted (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>): a session tells a fresh mint from a cache hit by it.</summary>
    public long MintedTimestamp { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>
    /// A context for <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>, built on first use and
    /// shared by every connection that uses this certificate.
    /// </summary>
    /// <remarks>
    /// Passing the bare certificate to SslStream makes it build the chain on every handshake; the context builds it
    /// once. It is built offline (no AIA download). .NET leaves a self-signed root out of what it sends (the client
    /// must hold it as a trust anchor anyway, RFC 8446 4.4.2), so with Bellows' usual self-signed CA the client
    /// receives the leaf alone and the build is given no extra certificate; a CA that is itself an intermediate is
    /// given to the build and sent with the leaf (<see cref="MintedCertificateCache.IssuerToSend"/>).
    /// </remarks>
    public SslStreamCertificateContext CertificateContext
    {
        get
        {
            if (_context is { } context)
            {
                return context;
            }

            lock (_contextLock)
            {
                return _context ??= SslStreamCertificateContext.Create(
                    Certificate,
                    _issuer is null ? null : new X509Certificate2Collection(_issuer),
                    offline: true);
            }
        }
    }
}
