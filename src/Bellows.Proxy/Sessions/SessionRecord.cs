// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;

namespace Bellows.Proxy.Sessions;

/// <summary>What is logged about a session when it ends.</summary>
public sealed record SessionRecord(
    long Id,
    string Listener,
    int Worker,
    IPEndPoint Client,
    IPEndPoint? Destination,
    long BytesUp,
    long BytesDown,
    TimeSpan Duration,
    CloseReason Reason,
    Tls.TlsSessionInfo? Tls = null);
