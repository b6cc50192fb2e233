// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Sockets;
using Bellows.Tls.ClientHello;

namespace Bellows.Proxy.Tls;

/// <summary>What reading the client's first bytes gave: a ClientHello, something else, or nothing in time.</summary>
internal sealed record ClientHelloRead(ClientHelloReadStatus Status, ClientHelloInfo? Hello, ReadOnlyMemory<byte> Bytes, string? Reason);

internal enum ClientHelloReadStatus
{
    Complete,
    NotTls,
    Invalid,
    TooLarge,
    Truncated,
    Timeout,
}

/// <summary>
/// Reads from the client until the parser has a whole ClientHello (or knows it will not get one), bounded in
/// bytes and time. Everything read is kept, to be replayed to SslStream or forwarded upstream.
/// </summary>
internal static class ClientHelloReader
{
    /// <summary>The parser's bound plus room for the record headers of a hello split over many records.</summary>
    private const int MaxBytes = ClientHelloParser.DefaultMaxHandshakeLength + 2048;

    public static async Task<ClientHelloRead> ReadAsync(Socket client, TimeSpan timeout, CancellationToken aborted)
    {
        var buffer = new byte[2048];
        int filled = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxBytes)
                    {
                        return new ClientHelloRead(ClientHelloReadStatus.TooLarge, null, buffer, "hello exceeds 16 KiB");
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxBytes));
                }

                int n = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return new ClientHelloRead(filled == 0 ? ClientHelloReadStatus.NotTls : ClientHelloReadStatus.Truncated, null,
                        buffer.AsMemory(0, filled), "client closed before the hello was complete");
                }

                filled += n;
                var status = ClientHelloParser.TryParse(buffer.AsSpan(0, filled), out var hello, out var reason);
                var bytes = buffer.AsMemory(0, filled);
                switch (status)
                {
                    case ClientHelloParseStatus.Complete:
                        return new ClientHelloRead(ClientHelloReadStatus.Complete, hello, bytes, null);
                    case ClientHelloParseStatus.NotTls:
                        return new ClientHelloRead(ClientHelloReadStatus.NotTls, null, bytes, null);
                    case ClientHelloParseStatus.Invalid:
                        return new ClientHelloRead(ClientHelloReadStatus.Invalid, null, bytes, reason ?? "malformed hello");
                    case ClientHelloParseStatus.TooLarge:
                        return new ClientHelloRead(ClientHelloReadStatus.TooLarge, null, bytes, "hello exceeds 16 KiB");
                }
            }
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return new ClientHelloRead(ClientHelloReadStatus.Timeout, null, buffer.AsMemory(0, filled), "no complete hello within the hello timeout");
        }
    }
}
