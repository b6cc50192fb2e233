// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.ClientHello;

/// <summary>
/// Reads the ClientHello from the first bytes a client sends, before any handshake is attempted.
/// </summary>
/// <remarks>
/// <para>
/// The parser keeps no state: the caller passes every byte received so far (typically peeked or buffered) and
/// calls again while the result is <see cref="ClientHelloParseStatus.Incomplete"/>. Re-scanning is cheap
/// because the input is bounded (<see cref="DefaultMaxHandshakeLength"/>) and the record walk touches only
/// record headers until the whole message is present.
/// </para>
/// <para>
/// Steps:
/// 1. Decide TLS or not from the first two bytes (record type 0x16, version major 3), so that a plain-text
///    protocol on a TLS port can be relayed unchanged.
/// 2. Walk handshake records, reassembling the handshake header across fragments, and reject a declared
///    length above the bound before buffering anything (<see cref="ClientHelloParseStatus.TooLarge"/>).
/// 3. Once all fragments are present, copy the one message (bounded) and decode its body.
/// </para>
/// <para>
/// Never throws and never reads outside <c>data</c>; the only allocations are the copy of the handshake
/// message (at most the bound) and the decoded lists, which are bounded by it.
/// </para>
/// </remarks>
public static partial class ClientHelloParser
{
    /// <summary>Default bound on the handshake message (header included): 16 KiB.</summary>
    /// <remarks>
    /// Real ClientHellos are 200-2,000 bytes; post-quantum key shares (X25519MLKEM768, 1,216 bytes) and
    /// padding keep them under 2 KiB. 16 KiB leaves room for large PSK tickets and ECH.
    /// </remarks>
    public const int DefaultMaxHandshakeLength = 16 * 1024;

    private const byte HandshakeRecordType = 0x16;
    private const byte ClientHelloMessageType = 0x01;
    private const int RecordHeaderLength = 5;
    private const int HandshakeHeaderLength = 4;
    private const int MaxRecordPayload = 1 << 14;

    public static ClientHelloParseStatus TryParse(ReadOnlySpan<byte> data, out ClientHelloInfo? hello) =>
        TryParse(data, DefaultMaxHandshakeLength, out hello, out _);

    public static ClientHelloParseStatus TryParse(ReadOnlySpan<byte> data, out ClientHelloInfo? hello, out string? invalidReason) =>
        TryParse(data, DefaultMaxHandshakeLength, out hello, out invalidReason);

    /// <param name="data">All bytes the client sent so far, from the first one.</param>
    /// <param name="maxHandshakeLength">Bound on the handshake message, 4-byte header included.</param>
    /// <param name="hello">The decoded ClientHello when the result is <see cref="ClientHelloParseStatus.Complete"/>.</param>
    /// <param name="invalidReason">A short constant reason when the result is <see cref="ClientHelloParseStatus.Invalid"/>.</param>
    public static ClientHelloParseStatus TryParse(
        ReadOnlySpan<byte> data,
        int maxHandshakeLength,
        out ClientHelloInfo? hello,
        out string? invalidReason)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHandshakeLength, HandshakeHeaderLength);
        hello = null;
        invalidReason = null;

        // :: Step 1
        if (data.IsEmpty)
        {
            return ClientHelloParseStatus.Incomplete;
        }

        if (data[0] != HandshakeRecordType || (data.Length > 1 && data[1] != 3))
        {
            return ClientHelloParseStatus.NotTls;
        }

        // :: Step 2
        var scan = ScanRecords(data, maxHandshakeLength, out int messageLength, out int recordsLength, out int recordCount, out invalidReason);
        if (scan != ClientHelloParseStatus.Complete)
        {
            return scan;
        }

        // :: Step 3
        byte[] message = GC.AllocateUninitializedArray<byte>(messageLength);
        CopyMessage(data, message);
        return DecodeBody(message, recordsLength, recordCount, out hello, out invalidReason);
    }

    private static ClientHelloParseStatus ScanRecords(
        ReadOnlySpan<byte> data,
        int maxHandshakeLength,
        out int messageLength,
        out int recordsLength,
        out int recordCount,
        out string? invalidReason)
    {
        messageLength = -1;
        recordsLength = 0;
        recordCount = 0;
        invalidReason = null;
        Span<byte> header = stackalloc byte[HandshakeHeaderLength];
        int collected = 0;
        int position = 0;
        while (true)
        {
            // A partial header of a follow-on record must already look like a handshake record.
            int remaining = data.Length - position;
            if (remaining > 0 && data[position] != HandshakeRecordType)
            {
                invalidReason = ClientHelloReasons.UnexpectedRecordType;
                return ClientHelloParseStatus.Invalid;
            }

            if (remaining > 1 && data[position + 1] != 3)
            {
                invalidReason = ClientHelloReasons.BadRecordVersion;
                return ClientHelloParseStatus.Invalid;
            }

            if (remaining < RecordHeaderLength)
            {
                return ClientHelloParseStatus.Incomplete;
            }

            int recordLength = (data[position + 3] << 8) | data[position + 4];
            if (recordLength == 0)
            {
                invalidReason = ClientHelloReasons.EmptyRecord;
                return ClientHelloParseStatus.Invalid;
            }

            if (recordLength > MaxRecordPayload)
            {
                invalidReason = ClientHelloReasons.RecordTooLong;
                return ClientHelloParseStatus.Invalid;
            }

            recordCount++;
            int available = Math.Min(recordLength, data.Length - position - RecordHeaderLength);
            var fragment = data.Slice(position + RecordHeaderLength, available);
            for (int i = 0; collected + i < HandshakeHeaderLength && i < fragment.Length; i++)
            {
                header[collected + i] = fragment[i];
            }

            collected += fragment.Length;
            if (messageLength < 0 && collected >= HandshakeHeaderLength)
            {
                if (header[0] != ClientHelloMessageType)
                {
                    invalidReason = ClientHelloReasons.NotClientHello;
                    return ClientHelloParseStatus.Invalid;
                }

                int bodyLength = (header[1] << 16) | (header[2] << 8) | header[3];
                if (bodyLength > maxHandshakeLength - HandshakeHeaderLength)
                {
                    return ClientHelloParseStatus.TooLarge;
                }

                messageLength = HandshakeHeaderLength + bodyLength;
            }

            if (messageLength >= 0 && collected >= messageLength)
            {
                recordsLength = position + RecordHeaderLength + recordLength;
                return ClientHelloParseStatus.Complete;
            }

            if (available < recordLength)
            {
                return ClientHelloParseStatus.Incomplete;
            }

            position += RecordHeaderLength + recordLength;
        }
    }

    /// <summary>Copies the handshake message out of its records; <see cref="ScanRecords"/> proved it is all there.</summary>
    private static void CopyMessage(ReadOnlySpan<byte> data, Span<byte> message)
    {
        int position = 0;
        int copied = 0;
        while (copied < message.Length)
        {
            int recordLength = (data[position + 3] << 8) | data[position + 4];
            int take = Math.Min(Math.Min(recordLength, message.Length - copied), data.Length - position - RecordHeaderLength);
            data.Slice(position + RecordHeaderLength, take).CopyTo(message[copied..]);
            copied += take;
            position += RecordHeaderLength + recordLength;
        }
    }
}
