// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>GREASE values (RFC 8701): 0x0A0A, 0x1A1A, ... 0xFAFA, used by clients to keep servers tolerant.</summary>
public static class TlsGrease
{
    public static bool IsGrease(ushort value) => (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}
