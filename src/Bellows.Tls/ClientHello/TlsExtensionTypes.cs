// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>IANA TLS ExtensionType codes that the parser decodes.</summary>
public static class TlsExtensionTypes
{
    public const ushort ServerName = 0x0000;
    public const ushort SupportedGroups = 0x000a;
    public const ushort SignatureAlgorithms = 0x000d;
    public const ushort ApplicationLayerProtocolNegotiation = 0x0010;
    public const ushort SupportedVersions = 0x002b;
    public const ushort KeyShare = 0x0033;
}
