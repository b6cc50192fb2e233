// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Immutable;
using System.Net.Security;

namespace Bellows.Tls.ClientHello;

public static partial class ClientHelloParser
{
    /// <summary>Values decoded from individual extensions while walking the block.</summary>
    private struct ExtensionFields
    {
        public string? ServerName;
        public ImmutableArray<SslApplicationProtocol> ApplicationProtocols;
        public ImmutableArray<ushort> SupportedVersions;
        public ImmutableArray<ushort> SignatureAlgorithms;
        public ImmutableArray<ushort> SupportedGroups;
        public ImmutableArray<ushort> KeyShareGroups;

        public ExtensionFields()
        {
            ServerName = null;
            ApplicationProtocols = ImmutableArray<SslApplicationProtocol>.Empty;
            SupportedVersions = ImmutableArray<ushort>.Empty;
            SignatureAlgorithms = ImmutableArray<ushort>.Empty;
            SupportedGroups = ImmutableArray<ushort>.Empty;
            KeyShareGroups = ImmutableArray<ushort>.Empty;
        }
    }
}
