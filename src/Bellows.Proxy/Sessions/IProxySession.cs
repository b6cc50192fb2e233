// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Proxy.Workers;
using Microsoft.Extensions.Logging;

namespace Bellows.Proxy.Sessions;

/// <summary>What a worker needs from anything it owns: a TCP session or a UDP flow.</summary>
public interface IProxySession
{
    long Id { get; }

    /// <summary>Environment.TickCount64 of the last activity; long.MaxValue while the idle clock does not run.</summary>
    long LastActivity { get; }

    TimeSpan IdleTimeout { get; }

    /// <summary>Runs the session to its end on <paramref name="owner"/>.</summary>
    Task RunAsync(Worker owner);

    /// <summary>Ends the session from outside (idle timeout, shutdown, eviction).</summary>
    void Abort(CloseReason reason);

    /// <summary>Writes the one log line of a closed session.</summary>
    void LogClosed(ILogger logger);

    /// <summary>Releases what a session that never ran holds (hand-off failed).</summary>
    void Reject();
}
