// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Certificates;

/// <summary>The CA (or a custom certificate) cannot be created or loaded; the message says what to fix.</summary>
public sealed class CertificateAuthorityException : Exception
{
    public CertificateAuthorityException()
    {
    }

    public CertificateAuthorityException(string message)
        : base(message)
    {
    }

    public CertificateAuthorityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
