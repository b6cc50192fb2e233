// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Certificates;

/// <summary>How to make clients trust the CA.</summary>
public sealed partial class CertificateAuthority
{
    /// <summary>Step-by-step instructions for installing this CA on clients, with its file path.</summary>
    public string TrustInstructions => GetTrustInstructions(CertificatePath ?? CertificateFileName);

    public static string GetTrustInstructions(string certificatePath) => $"""
        Clients must trust the Bellows CA ({certificatePath}) to accept inspected TLS connections.

        Debian / Ubuntu (system store, used by curl, wget, Python, .NET, ...):
          sudo cp {certificatePath} /usr/local/share/ca-certificates/bellows-ca.crt
          sudo update-ca-certificates

        RHEL / Fedora / CentOS:
          sudo cp {certificatePath} /etc/pki/ca-trust/source/anchors/bellows-ca.pem
          sudo update-ca-trust

        Firefox and other NSS applications (per profile; Firefox can also be set to
        security.enterprise_roots.enabled=true to use the system store):
          certutil -A -n "Bellows CA" -t "C,," -i {certificatePath} -d sql:$HOME/.pki/nssdb
          certutil -A -n "Bellows CA" -t "C,," -i {certificatePath} -d sql:<firefox-profile-directory>

        One-off with curl:
          curl --cacert {certificatePath} https://example.com/

        """;
}
