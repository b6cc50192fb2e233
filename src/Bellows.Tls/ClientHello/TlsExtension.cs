// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>One ClientHello extension as sent: its type and its raw <c>extension_data</c>.</summary>
/// <param name="Type">The extension type code (see <see cref="TlsExtensionTypes"/>).</param>
/// <param name="Data">The extension body, a slice of <see cref="ClientHelloInfo.HandshakeBytes"/>.</param>
public readonly record struct TlsExtension(ushort Type, ReadOnlyMemory<byte> Data)
{
    public bool IsGrease => TlsGrease.IsGrease(Type);
}
