// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using System.Text;
using Bellows.Tls.ClientHello;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.ClientHello;

public class ClientHelloParserTests
{
    public static TheoryData<string> Assets => [.. ClientHelloAssets.All];

    [Fact]
    public void TryParse_OpenSslTls13_DecodesEveryField()
    {
        byte[] data = ClientHelloAssets.Load(ClientHelloAssets.OpenSslTls13);

        var status = ClientHelloParser.TryParse(data, out var hello);

        Assert.Equal(ClientHelloParseStatus.Complete, status);
        Assert.NotNull(hello);
        Assert.Equal("x.example", hello.ServerName);
        Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], hello.ApplicationProtocols.ToArray());
        Assert.Equal(TlsVersions.Tls12, hello.LegacyVersion);
        Assert.Contains(TlsVersions.Tls13, hello.SupportedVersions);
        Assert.True(hello.IsTls13Capable);
        Assert.Equal(32, hello.Random.Length);
        Assert.Contains((ushort)0x1301, hello.CipherSuites);
        Assert.Equal([(byte)0], hello.CompressionMethods.ToArray());
        Assert.NotEmpty(hello.SignatureAlgorithms);
        Assert.NotEmpty(hello.SupportedGroups);
        Assert.NotEmpty(hello.KeyShareGroups);
        Assert.Contains(hello.KeyShareGroups[0], hello.SupportedGroups);
        Assert.Equal(1, hello.RecordCount);
        Assert.Equal(data.Length, hello.RecordsLength);
        Assert.Equal(data.Length - 5, hello.HandshakeBytes.Length);
        Assert.True(hello.HasExtension(TlsExtensionTypes.ServerName));
    }

    [Fact]
    public void TryParse_OpenSslTls12Only_NotTls13Capable()
    {
        var status = ClientHelloParser.TryParse(ClientHelloAssets.Load(ClientHelloAssets.OpenSslTls12), out var hello);

        Assert.Equal(ClientHelloParseStatus.Complete, status);
        Assert.Equal("x.example", hello!.ServerName);
        Assert.False(hello.IsTls13Capable);
        Assert.Empty(hello.ApplicationProtocols);
        Assert.StartsWith("t12d", hello.ComputeJa4(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NoServerName_ServerNameNullAndJa4SaysIp()
    {
        var status = ClientHelloParser.TryParse(ClientHelloAssets.Load(ClientHelloAssets.OpenSslNoSni), out var hello);

        Assert.Equal(ClientHelloParseStatus.Complete, status);
        Assert.Null(hello!.ServerName);
        Assert.False(hello.HasExtension(TlsExtensionTypes.ServerName));
        Assert.StartsWith("t13i", hello.ComputeJa4(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Curl_DecodesSniAlpnAndPadding()
    {
        var status = ClientHelloParser.TryParse(ClientHelloAssets.Load(ClientHelloAssets.Curl), out var hello);

        Assert.Equal(ClientHelloParseStatus.Complete, status);
        Assert.Equal("x.example", hello!.ServerName);
        Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], hello.ApplicationProtocols.ToArray());
        Assert.True(hello.HasExtension(0x0015)); // padding, which curl's 517-byte hello carries
        Assert.Matches("^t13d[0-9]{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$", hello.ComputeJa4());
    }

    [Theory]
    [MemberData(nameof(Assets))]
    public void TryParse_EveryTruncation_IsIncomplete(string asset)
    {
        byte[] data = ClientHelloAssets.Load(asset);

        for (int length = 0; length < data.Length; length++)
        {
            var status = ClientHelloParser.TryParse(data.AsSpan(0, length), out var hello, out string? reason);
            Assert.True(status == ClientHelloParseStatus.Incomplete, $"prefix {length}: {status} {reason}");
            Assert.Null(hello);
        }

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(100)]
    public void TryParse_FragmentedAcrossRecords_SameResultAsOneRecord(int fragment)
    {
        foreach (string asset in ClientHelloAssets.All)
        {
            byte[] original = ClientHelloAssets.Load(asset);
            byte[] handshake = ClientHelloBuilder.HandshakeOf(original);
            byte[] fragmented = ClientHelloBuilder.Records(handshake, fragment);

            Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(original, out var expected));
            var status = ClientHelloParser.TryParse(fragmented, out var actual, out string? reason);

            Assert.True(status == ClientHelloParseStatus.Complete, $"{asset}/{fragment}: {status} {reason}");
            Assert.Equal((handshake.Length + fragment - 1) / fragment, actual!.RecordCount);
            Assert.Equal(fragmented.Length, actual.RecordsLength);
            Assert.Equal(handshake, actual.HandshakeBytes.ToArray());
            Assert.Equal(expected!.ServerName, actual.ServerName);
            Assert.Equal(expected.CipherSuites.ToArray(), actual.CipherSuites.ToArray());
            Assert.Equal(expected.Extensions.Select(e => e.Type), actual.Extensions.Select(e => e.Type));
            Assert.Equal(expected.ComputeJa4(), actual.ComputeJa4());
        }
    }

    [Fact]
    public void TryParse_OneByteFragmentsTruncatedAnywhere_IsIncomplete()
    {
        byte[] fragmented = ClientHelloBuilder.Records(ClientHelloBuilder.HandshakeOf(ClientHelloAssets.Load(ClientHelloAssets.OpenSslTls13)), 1);

        for (int length = 0; length < fragmented.Length; length++)
        {
            Assert.Equal(ClientHelloParseStatus.Incomplete, ClientHelloParser.TryParse(fragmented.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TryParse_TrailingApplicationBytes_CompleteAndRecordsLengthExcludesThem()
    {
        byte[] hello = ClientHelloAssets.Load(ClientHelloAssets.OpenSslTls13);
        byte[] data = [.. hello, 0x17, 0x03, 0x03, 0x00, 0x01, 0xff];

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var info));
        Assert.Equal(hello.Length, info!.RecordsLength);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x.example\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("EHLO mail.example\r\n")]
    [InlineData("G")]
    public void TryParse_PlainText_IsNotTls(string text)
    {
        Assert.Equal(ClientHelloParseStatus.NotTls, ClientHelloParser.TryParse(Encoding.ASCII.GetBytes(text), out var hello));
        Assert.Null(hello);
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x02 })]                   // handshake type, but version major 2
    [InlineData(new byte[] { 0x80, 0x2e, 0x01, 0x00, 0x02 })] // SSLv2-compatible ClientHello
    [InlineData(new byte[] { 0x17, 0x03, 0x03, 0x00, 0x10 })] // application data first
    [InlineData(new byte[] { 0x00 })]
    public void TryParse_NonHandshakeFirstBytes_IsNotTls(byte[] data) =>
        Assert.Equal(ClientHelloParseStatus.NotTls, ClientHelloParser.TryParse(data, out _));

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x16 })]
    [InlineData(new byte[] { 0x16, 0x03 })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01 })]
    public void TryParse_TooFewBytesToDecide_IsIncomplete(byte[] data) =>
        Assert.Equal(ClientHelloParseStatus.Incomplete, ClientHelloParser.TryParse(data, out _));

    [Fact]
    public void TryParse_DeclaredLengthAboveBound_TooLargeBeforeBodyArrives()
    {
        // Record header + handshake header announcing 20,000 bytes; nothing else has arrived.
        byte[] data = [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0x4e, 0x20];

        Assert.Equal(ClientHelloParseStatus.TooLarge, ClientHelloParser.TryParse(data, out var hello));
        Assert.Null(hello);
    }

    [Fact]
    public void TryParse_ConfiguredBound_Applies()
    {
        byte[] data = ClientHelloAssets.Load(ClientHelloAssets.Curl);

        Assert.Equal(ClientHelloParseStatus.TooLarge, ClientHelloParser.TryParse(data, 256, out _, out _));
        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, 1024, out _, out _));
    }

    [Fact]
    public void TryParse_LargeButAllowedHello_SpansRecordsAndParses()
    {
        var builder = new ClientHelloBuilder().Add(TlsExtensionTypes.ServerName, ClientHelloBuilder.ServerName("big.example"));
        builder.Add(0x0015, new byte[15_000]);
        byte[] data = ClientHelloBuilder.Records(builder.BuildHandshake(), 4096);

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var hello));
        Assert.Equal(4, hello!.RecordCount);
        Assert.Equal("big.example", hello.ServerName);
    }

    [Fact]
    public void TryParse_NoExtensionsBlock_IsCompleteWithEmptyLists()
    {
        var builder = new ClientHelloBuilder { OmitExtensions = true };

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(builder.Build(), out var hello));
        Assert.Empty(hello!.Extensions);
        Assert.Null(hello.ServerName);
        Assert.False(hello.IsTls13Capable);
        Assert.Equal("t12i030000_" + hello.ComputeJa4().Split('_')[1] + "_000000000000", hello.ComputeJa4());
    }

    [Theory]
    [InlineData("Mixed.Example.COM", "mixed.example.com")]
    [InlineData("trailing.example.", "trailing.example")]
    [InlineData("under_score.example", "under_score.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    public void TryParse_ServerName_IsNormalised(string sent, string expected)
    {
        byte[] data = new ClientHelloBuilder().Add(0, ClientHelloBuilder.ServerName(sent)).Build();

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var hello));
        Assert.Equal(expected, hello!.ServerName);
    }

    [Theory]
    [InlineData("has space.example")]
    [InlineData("double..dot")]
    [InlineData(".leading")]
    [InlineData("bad\u00e9.example")]
    [InlineData("star*.example")]
    [InlineData("nul\0.example")]
    public void TryParse_InvalidServerName_IsInvalid(string sent)
    {
        byte[] name = Encoding.Latin1.GetBytes(sent);
        byte[] extension = [.. ClientHelloBuilder.U16(name.Length + 3), 0, .. ClientHelloBuilder.U16(name.Length), .. name];
        byte[] data = new ClientHelloBuilder().Add(0, extension).Build();

        Assert.Equal(ClientHelloParseStatus.Invalid, ClientHelloParser.TryParse(data, out _, out string? reason));
        Assert.Equal(ClientHelloReasons.BadHostName, reason);
    }

    [Fact]
    public void TryParse_ServerNameLongerThan255_IsInvalid()
    {
        string name = string.Join('.', Enumerable.Repeat(new string('a', 60), 5));
        byte[] data = new ClientHelloBuilder().Add(0, ClientHelloBuilder.ServerName(name)).Build();

        Assert.Equal(ClientHelloParseStatus.Invalid, ClientHelloParser.TryParse(data, out _, out string? reason));
        Assert.Equal(ClientHelloReasons.BadHostName, reason);
    }

    public static TheoryData<string, byte[]> InvalidHellos()
    {
        var data = new TheoryData<string, byte[]>();
        var valid = new ClientHelloBuilder().Add(0, ClientHelloBuilder.ServerName("x.example"));
        byte[] handshake = valid.BuildHandshake();

        data.Add(ClientHelloReasons.NotClientHello, ClientHelloBuilder.Records([2, .. handshake[1..]], 1000));
        data.Add(ClientHelloReasons.EmptyRecord, [0x16, 0x03, 0x01, 0x00, 0x00]);
        data.Add(ClientHelloReasons.RecordTooLong, [0x16, 0x03, 0x01, 0x40, 0x01]);
        data.Add(ClientHelloReasons.UnexpectedRecordType, [.. ClientHelloBuilder.Records(handshake[..10], 10), 0x15, 0x03, 0x03, 0x00, 0x02, 2, 40]);
        data.Add(ClientHelloReasons.BadRecordVersion, [.. ClientHelloBuilder.Records(handshake[..10], 10), 0x16, 0x04]);

        var longSession = new ClientHelloBuilder { SessionId = new byte[33] };
        data.Add(ClientHelloReasons.SessionIdTooLong, longSession.Build());

        var noCiphers = new ClientHelloBuilder();
        noCiphers.CipherSuites.Clear();
        data.Add(ClientHelloReasons.BadCipherSuites, noCiphers.Build());

        var noCompression = new ClientHelloBuilder { CompressionMethods = [] };
        data.Add(ClientHelloReasons.BadCompressionMethods, noCompression.Build());

        var duplicate = new ClientHelloBuilder().Add(0x0017, []).Add(0x0017, []);
        data.Add(ClientHelloReasons.DuplicateExtension, duplicate.Build());

        data.Add(ClientHelloReasons.BadAlpn, new ClientHelloBuilder().Add(0x10, [0, 3, 0, 1, 0x41]).Build());
        data.Add(ClientHelloReasons.BadAlpn, new ClientHelloBuilder().Add(0x10, [0, 0]).Build());
        data.Add(ClientHelloReasons.BadSupportedVersions, new ClientHelloBuilder().Add(0x2b, [3, 3, 4, 3]).Build());
        data.Add(ClientHelloReasons.BadSignatureAlgorithms, new ClientHelloBuilder().Add(0x0d, [0, 0]).Build());
        data.Add(ClientHelloReasons.BadSupportedGroups, new ClientHelloBuilder().Add(0x0a, [0, 2, 0]).Build());
        data.Add(ClientHelloReasons.BadKeyShare, new ClientHelloBuilder().Add(0x33, [0, 4, 0, 0x1d, 0, 0]).Build());
        data.Add(ClientHelloReasons.BadServerName, new ClientHelloBuilder().Add(0, []).Build());
        data.Add(ClientHelloReasons.BadServerName, new ClientHelloBuilder()
            .Add(0, [0, 8, 0, 0, 1, 0x61, 0, 0, 1, 0x62]).Build());

        // An extension claiming more bytes than its block holds.
        byte[] truncatedExtension = new ClientHelloBuilder().Add(0x0017, [1, 2, 3]).BuildHandshake();
        truncatedExtension[^4] = 0x00;
        truncatedExtension[^5] = 0x09;
        data.Add(ClientHelloReasons.ExtensionTooLong, ClientHelloBuilder.Records(truncatedExtension, 1000));

        // Two stray bytes after the extensions block, inside the declared handshake length.
        byte[] body = new ClientHelloBuilder().Add(0x0017, []).BuildHandshake();
        byte[] trailing = [1, 0, (byte)((body.Length - 2) >> 8), (byte)(body.Length - 2), .. body[4..], 0xaa, 0xbb];
        data.Add(ClientHelloReasons.TrailingBytes, ClientHelloBuilder.Records(trailing, 1000));

        // Declared handshake length shorter than the fixed fields.
        data.Add(ClientHelloReasons.TruncatedFixedFields, ClientHelloBuilder.Records([1, 0, 0, 10, .. new byte[10]], 1000));
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidHellos))]
    public void TryParse_Malformed_IsInvalidWithReason(string expectedReason, byte[] data)
    {
        var status = ClientHelloParser.TryParse(data, out var hello, out string? reason);

        Assert.Equal(ClientHelloParseStatus.Invalid, status);
        Assert.Null(hello);
        Assert.Equal(expectedReason, reason);
    }

    [Fact]
    public void TryParse_GreaseValues_KeptAsSent()
    {
        var builder = new ClientHelloBuilder()
            .Add(0x0a0a, [])
            .Add(TlsExtensionTypes.SupportedVersions, ClientHelloBuilder.SupportedVersions(0x3a3a, 0x0304, 0x0303))
            .Add(0xfafa, [0]);
        builder.CipherSuites.Insert(0, 0x2a2a);

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(builder.Build(), out var hello));
        Assert.Equal((ushort)0x2a2a, hello!.CipherSuites[0]);
        Assert.Equal([(ushort)0x0a0a, TlsExtensionTypes.SupportedVersions, (ushort)0xfafa], hello.Extensions.Select(e => e.Type));
        Assert.True(hello.Extensions[0].IsGrease);
        Assert.Equal([(ushort)0x3a3a, (ushort)0x0304, (ushort)0x0303], hello.SupportedVersions.ToArray());
        Assert.True(hello.IsTls13Capable);
    }

    [Fact]
    public void TryParse_EmptyKeyShare_IsAccepted()
    {
        byte[] data = new ClientHelloBuilder().Add(TlsExtensionTypes.KeyShare, [0, 0]).Build();

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var hello));
        Assert.Empty(hello!.KeyShareGroups);
    }

    [Fact]
    public void HandshakeBytes_AreACopy_NotTheCallersBuffer()
    {
        byte[] data = ClientHelloAssets.Load(ClientHelloAssets.OpenSslTls13);
        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var hello));
        string sni = hello!.ServerName!;
        byte[] random = hello.Random.ToArray();

        Array.Clear(data);

        Assert.Equal(sni, hello.ServerName);
        Assert.Equal(random, hello.Random.ToArray());
    }
}
