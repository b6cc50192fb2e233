// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;

namespace Bellows.Host.Commands;

/// <summary>`bellows ca export`: the CA certificate as PEM on stdout, for clients to install.</summary>
internal static partial class CaCommand
{
    /// <remarks>
    /// Reads only the certificate: exporting needs no access to the key, so an operator without root can run it
    /// where the certificate is readable.
    /// </remarks>
    private static int Export(string directory)
    {
        string certPath = Path.Combine(directory, CertificateAuthority.CertificateFileName);
        if (!File.Exists(certPath))
        {
            Console.Error.WriteLine($"bellows ca: there is no CA certificate at {certPath}; create one with 'bellows ca init'");
            return 1;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
        }
        catch (CryptographicException e)
        {
            Console.Error.WriteLine($"bellows ca: {certPath} does not hold a PEM certificate: {e.Message}");
            return 1;
        }

        using (certificate)
        {
            Console.Write(certificate.ExportCertificatePem() + "\n");
        }

        return 0;
    }
}
