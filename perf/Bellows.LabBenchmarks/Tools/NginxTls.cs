// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Tools;

/// <summary>What nginx needs to serve HTTPS in the TLS suite.</summary>
/// <param name="Port">The measured HTTPS port (443): no session resumption.</param>
/// <param name="ServerName">The name in the origin certificate.</param>
/// <param name="CertificatePath">PEM: the origin leaf, then its CA.</param>
/// <param name="KeyPath">PEM: the leaf's key.</param>
public sealed record NginxTls(int Port, string ServerName, string CertificatePath, string KeyPath)
{
    /// <summary>A second HTTPS port with resumption on, never diverted: it only tells whether a client resumes.</summary>
    public const int ResumptionProbePort = 8443;
}
