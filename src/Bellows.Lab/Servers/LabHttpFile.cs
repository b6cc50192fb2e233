// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Lab.Servers;

/// <summary>A fixed document the lab's HTTP servers serve at one path (the origin CA's CRL, for instance).</summary>
public sealed record LabHttpFile(string ContentType, ReadOnlyMemory<byte> Body);
