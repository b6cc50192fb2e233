// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks.Results;

/// <summary>What a throughput measurement measured.</summary>
public enum Metric
{
    /// <summary>iperf3, one stream: Gbit/s.</summary>
    BulkOneStream,

    /// <summary>iperf3, four streams: Gbit/s.</summary>
    BulkFourStreams,

    /// <summary>wrk with <c>Connection: close</c>: one connection per request, so requests/s = connections/s.</summary>
    NewConnections,

    /// <summary>wrk on kept-alive connections: requests/s.</summary>
    KeepAlive,

    /// <summary>
    /// TLS suite: wrk over HTTPS with <c>Connection: close</c>, kept from resuming sessions: new intercepted
    /// connections per second, a full handshake on every client connection.
    /// </summary>
    TlsNewConnections,

    /// <summary>The same with wrk as it is: it resumes the client's session whenever the other end allows it.</summary>
    TlsResumingConnections,

    /// <summary>
    /// <see cref="TlsNewConnections"/> with wrk at normal priority: its busy-polling during handshakes competes with
    /// the path for the machine's cores (shown for comparison; the TLS suite otherwise runs wrk at nice 19).
    /// </summary>
    TlsNewConnectionsNormalPriority,

    /// <summary>
    /// <see cref="TlsNewConnections"/> (client leg full handshakes) against the origin's port that offers resumption
    /// (session cache and tickets, as nginx and most servers by default): whether a path resumes its upstream sessions.
    /// </summary>
    TlsNewConnectionsOriginResumes,

    /// <summary>TLS suite: one 100 MiB HTTPS download with curl: Gbit/s.</summary>
    TlsBulk,
}
