// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.LabBenchmarks;

/// <summary>Which tests a run includes (`--only bulk,conn,keepalive,idle`); all of them by default.</summary>
[Flags]
public enum BenchmarkTests
{
    None = 0,

    /// <summary>iperf3, 1 and 4 streams.</summary>
    Bulk = 1,

    /// <summary>wrk with <c>Connection: close</c>, including the Bellows shared-acceptor row.</summary>
    Connections = 2,

    /// <summary>wrk on kept-alive connections.</summary>
    KeepAlive = 4,

    /// <summary>RSS with idle connections.</summary>
    Idle = 8,

    All = Bulk | Connections | KeepAlive | Idle,

    /// <summary>
    /// The TLS suite (bench/tls.sh): routed HTTPS vs Squid ssl-bump vs Bellows inspecting TLS. Not part of
    /// <see cref="All"/>, and run only on its own (`--only tls`).
    /// </summary>
    Tls = 16,
}
