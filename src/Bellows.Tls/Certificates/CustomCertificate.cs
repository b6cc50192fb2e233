// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Bellows.Tls.Certificates;

/// <summary>An operator-supplied certificate served instead of a minted one (see <see cref="CustomCertificateStore"/>).</summary>
public sealed class CustomCertificate
{
    private readonly Lock _contextLock = new();
    private SslStreamCertificateContext? _context;

    internal CustomCertificate(string source, X509Certificate2 certificate, X509Certificate2Collection issuers)
    {
        Source = source;
        Certificate = certificate;
        Issuers = issuers;
    }

    /// <summary>The folder it was loaded from.</summary>
    public string Source { get; }

    /// <summary>The leaf with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The intermediates (and possibly root) that follow the leaf in <c>fullchain.pem</c> or the issuer files.</summary>
    public X509Certificate2Collection Issuers { get; }

    /// <summary>A shared context that sends the leaf and its issuers; built offline on first use.</summary>
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
                return _context ??= SslStreamCertificateContext.Create(Certificate, Issuers, offline: true);
            }
        }
    }
}
