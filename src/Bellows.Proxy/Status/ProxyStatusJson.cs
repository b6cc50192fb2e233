// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bellows.Proxy.Status;

/// <summary>Source-generated JSON for the status document (snake_case, as the config file).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ProxyStatus))]
public sealed partial class ProxyStatusJson : JsonSerializerContext
{
    public static string Serialize(ProxyStatus status) => JsonSerializer.Serialize(status, Default.ProxyStatus);

    public static ProxyStatus? Deserialize(string json) => JsonSerializer.Deserialize(json, Default.ProxyStatus);
}
