// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>The reason strings returned with <see cref="ClientHelloParseStatus.Invalid"/>: constants, never allocated.</summary>
public static class ClientHelloReasons
{
    public const string UnexpectedRecordType = "non-handshake record before the ClientHello ended";
    public const string BadRecordVersion = "record version major is not 3";
    public const string EmptyRecord = "zero-length handshake record";
    public const string RecordTooLong = "record length exceeds 16384";
    public const string NotClientHello = "first handshake message is not a ClientHello";
    public const string TruncatedFixedFields = "ClientHello shorter than its fixed fields";
    public const string SessionIdTooLong = "session id longer than 32 bytes";
    public const string BadCipherSuites = "cipher suites length is zero, odd or exceeds handshake";
    public const string BadCompressionMethods = "compression methods empty or exceed handshake";
    public const string ExtensionsTooLong = "extensions length exceeds handshake";
    public const string TrailingBytes = "trailing bytes after extensions";
    public const string ExtensionTooLong = "extension length exceeds extensions block";
    public const string DuplicateExtension = "duplicate extension";
    public const string BadServerName = "malformed server_name extension";
    public const string BadHostName = "invalid host name in server_name";
    public const string BadAlpn = "malformed ALPN extension";
    public const string BadSupportedVersions = "malformed supported_versions extension";
    public const string BadSignatureAlgorithms = "malformed signature_algorithms extension";
    public const string BadSupportedGroups = "malformed supported_groups extension";
    public const string BadKeyShare = "malformed key_share extension";
}
