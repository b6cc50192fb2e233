// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Lab.Network;

namespace Bellows.Lab.Servers;

/// <summary>
/// A small HTTP/1.1 server (GET only, keep-alive) for the lab:
/// <c>/</c> a greeting, <c>/whoami</c> the client address the server sees, <c>/bytes/N</c> N bytes of
/// <see cref="LabPattern"/>, and fixed files (the origin CA's CRL).
/// </summary>
public sealed class LabHttpServer : LabTcpServer
{
    public const string Greeting = "hello from the bellows lab server\n";

    private readonly LabHttpResponder _responder;

    public LabHttpServer(NetworkNamespace ns, params int[] ports)
        : this(ns, null, ports)
    {
    }

    public LabHttpServer(NetworkNamespace ns, IReadOnlyDictionary<string, LabHttpFile>? files, params int[] ports)
        : base(ns, ports)
    {
        _responder = new LabHttpResponder(Greeting, files);
    }

    protected override async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        var stream = new NetworkStream(connection, ownsSocket: false);
        await using (stream.ConfigureAwait(false))
        {
            string remote = connection.RemoteEndPoint?.ToString() ?? "?";
            await _responder.ServeAsync(stream, remote, () =>
            {
                connection.Shutdown(SocketShutdown.Send);
                return Task.CompletedTask;
            }, stopping).ConfigureAwait(false);
        }
    }
}
