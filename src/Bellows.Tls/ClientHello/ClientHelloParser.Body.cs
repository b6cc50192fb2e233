// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Immutable;
using System.Net.Security;
using System.Runtime.InteropServices;
using Bellows.Tls.Internal;

namespace Bellows.Tls.ClientHello;

/// <summary>Decoding of the ClientHello body (RFC 8446 section 4.1.2) once the message is reassembled.</summary>
public static partial class ClientHelloParser
{
    private const int RandomLength = 32;
    private const int MaxSessionIdLength = 32;

    private static ClientHelloParseStatus DecodeBody(
        byte[] message,
        int recordsLength,
        int recordCount,
        out ClientHelloInfo? hello,
        out string? invalidReason)
    {
        hello = null;
        var reader = new TlsReader(message.AsSpan(HandshakeHeaderLength), HandshakeHeaderLength);
        if (!reader.TryReadUInt16(out ushort legacyVersion)
            || !reader.TryReadBytes(RandomLength, out var random)
            || !reader.TryReadVector8(out var sessionId))
        {
            return Fail(ClientHelloReasons.TruncatedFixedFields, out invalidReason);
        }

        if (sessionId.Remaining > MaxSessionIdLength)
        {
            return Fail(ClientHelloReasons.SessionIdTooLong, out invalidReason);
        }

        if (!reader.TryReadVector16(out var cipherBlock) || !TryReadUInt16List(cipherBlock, out var cipherSuites))
        {
            return Fail(ClientHelloReasons.BadCipherSuites, out invalidReason);
        }

        if (!reader.TryReadVector8(out var compression) || compression.IsEmpty)
        {
            return Fail(ClientHelloReasons.BadCompressionMethods, out invalidReason);
        }

        var fields = new ExtensionFields();
        var extensions = ImmutableArray<TlsExtension>.Empty;

        // TLS 1.2 and older may omit the extensions block entirely.
        if (!reader.IsEmpty)
        {
            if (!reader.TryReadVector16(out var extensionBlock))
            {
                return Fail(ClientHelloReasons.ExtensionsTooLong, out invalidReason);
            }

            if (!reader.IsEmpty)
            {
                return Fail(ClientHelloReasons.TrailingBytes, out invalidReason);
            }

            invalidReason = DecodeExtensions(message, extensionBlock, ref fields, out extensions);
            if (invalidReason is not null)
            {
                return ClientHelloParseStatus.Invalid;
            }
        }

        invalidReason = null;
        hello = new ClientHelloInfo
        {
            LegacyVersion = legacyVersion,
            Random = message.AsMemory(random.AbsoluteOffset, RandomLength),
            SessionId = message.AsMemory(sessionId.AbsoluteOffset, sessionId.Remaining),
            CipherSuites = cipherSuites,
            CompressionMethods = message.AsMemory(compression.AbsoluteOffset, compression.Remaining),
            Extensions = extensions,
            ServerName = fields.ServerName,
            ApplicationProtocols = fields.ApplicationProtocols,
            SupportedVersions = fields.SupportedVersions,
            SignatureAlgorithms = fields.SignatureAlgorithms,
            SupportedGroups = fields.SupportedGroups,
            KeyShareGroups = fields.KeyShareGroups,
            HandshakeBytes = message,
            RecordsLength = recordsLength,
            RecordCount = recordCount,
        };
        return ClientHelloParseStatus.Complete;
    }

    /// <returns>Null when every extension decoded, else the reason.</returns>
    private static string? DecodeExtensions(
        byte[] message,
        TlsReader block,
        ref ExtensionFields fields,
        out ImmutableArray<TlsExtension> extensions)
    {
        extensions = ImmutableArray<TlsExtension>.Empty;

        // One bit per possible extension type (8 KiB on the stack) makes the duplicate check O(1) per extension.
        Span<ulong> seen = stackalloc ulong[65536 / 64];
        seen.Clear();
        var builder = ImmutableArray.CreateBuilder<TlsExtension>();
        while (!block.IsEmpty)
        {
            if (!block.TryReadUInt16(out ushort type) || !block.TryReadVector16(out var body))
            {
                return ClientHelloReasons.ExtensionTooLong;
            }

            ref ulong word = ref seen[type >> 6];
            ulong bit = 1UL << (type & 63);
            if ((word & bit) != 0)
            {
                return ClientHelloReasons.DuplicateExtension;
            }

            word |= bit;
            builder.Add(new TlsExtension(type, message.AsMemory(body.AbsoluteOffset, body.Remaining)));
            string? reason = type switch
            {
                TlsExtensionTypes.ServerName => DecodeServerName(body, ref fields),
                TlsExtensionTypes.ApplicationLayerProtocolNegotiation => DecodeAlpn(body, ref fields),
                TlsExtensionTypes.SupportedVersions => DecodeSupportedVersions(body, ref fields),
                TlsExtensionTypes.SignatureAlgorithms => DecodeUInt16Vector(body, out fields.SignatureAlgorithms)
                    ? null : ClientHelloReasons.BadSignatureAlgorithms,
                TlsExtensionTypes.SupportedGroups => DecodeUInt16Vector(body, out fields.SupportedGroups)
                    ? null : ClientHelloReasons.BadSupportedGroups,
                TlsExtensionTypes.KeyShare => DecodeKeyShare(body, ref fields),
                _ => null,
            };
            if (reason is not null)
            {
                return reason;
            }
        }

        extensions = builder.DrainToImmutable();
        return null;
    }

    private static string? DecodeServerName(TlsReader body, ref ExtensionFields fields)
    {
        if (!body.TryReadVector16(out var list) || !body.IsEmpty || list.IsEmpty)
        {
            return ClientHelloReasons.BadServerName;
        }

        while (!list.IsEmpty)
        {
            if (!list.TryReadUInt8(out byte nameType) || !list.TryReadVector16(out var name) || name.IsEmpty)
            {
                return ClientHelloReasons.BadServerName;
            }

            // Only host_name (0) is defined; RFC 6066 forbids two names of one type.
            if (nameType != 0)
            {
                continue;
            }

            if (fields.ServerName is not null)
            {
                return ClientHelloReasons.BadServerName;
            }

            fields.ServerName = HostName.TryNormalize(name.RemainingSpan);
            if (fields.ServerName is null)
            {
                return ClientHelloReasons.BadHostName;
            }
        }

        return null;
    }

    private static string? DecodeAlpn(TlsReader body, ref ExtensionFields fields)
    {
        if (!body.TryReadVector16(out var list) || !body.IsEmpty || list.IsEmpty)
        {
            return ClientHelloReasons.BadAlpn;
        }

        var protocols = ImmutableArray.CreateBuilder<SslApplicationProtocol>();
        while (!list.IsEmpty)
        {
            if (!list.TryReadVector8(out var protocol) || protocol.IsEmpty)
            {
                return ClientHelloReasons.BadAlpn;
            }

            protocols.Add(new SslApplicationProtocol(protocol.RemainingSpan.ToArray()));
        }

        fields.ApplicationProtocols = protocols.DrainToImmutable();
        return null;
    }

    private static string? DecodeSupportedVersions(TlsReader body, ref ExtensionFields fields)
    {
        if (!body.TryReadVector8(out var list) || !body.IsEmpty || !TryReadUInt16List(list, out fields.SupportedVersions))
        {
            return ClientHelloReasons.BadSupportedVersions;
        }

        return null;
    }

    private static string? DecodeKeyShare(TlsReader body, ref ExtensionFields fields)
    {
        // An empty client_shares list is legal: the client waits for a HelloRetryRequest.
        if (!body.TryReadVector16(out var shares) || !body.IsEmpty)
        {
            return ClientHelloReasons.BadKeyShare;
        }

        var groups = ImmutableArray.CreateBuilder<ushort>();
        while (!shares.IsEmpty)
        {
            if (!shares.TryReadUInt16(out ushort group) || !shares.TryReadVector16(out var keyExchange) || keyExchange.IsEmpty)
            {
                return ClientHelloReasons.BadKeyShare;
            }

            groups.Add(group);
        }

        fields.KeyShareGroups = groups.DrainToImmutable();
        return null;
    }

    private static bool DecodeUInt16Vector(TlsReader body, out ImmutableArray<ushort> values)
    {
        values = ImmutableArray<ushort>.Empty;
        return body.TryReadVector16(out var list) && body.IsEmpty && TryReadUInt16List(list, out values);
    }

    /// <summary>Reads a non-empty list of 16-bit values filling the whole reader.</summary>
    private static bool TryReadUInt16List(TlsReader list, out ImmutableArray<ushort> values)
    {
        values = ImmutableArray<ushort>.Empty;
        if (list.IsEmpty || (list.Remaining & 1) != 0)
        {
            return false;
        }

        var array = new ushort[list.Remaining / 2];
        for (int i = 0; i < array.Length; i++)
        {
            list.TryReadUInt16(out array[i]);
        }

        values = ImmutableCollectionsMarshal.AsImmutableArray(array);
        return true;
    }

    private static ClientHelloParseStatus Fail(string reason, out string? invalidReason)
    {
        invalidReason = reason;
        return ClientHelloParseStatus.Invalid;
    }
}
