// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Text.Json.Serialization;

namespace Bellows.Lab;

/// <summary>Source-generated JSON for the few values the lab writes into configurations (quoted paths and names).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
