// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net.Security;
using Bellows.Tls.ClientHello;
using Bellows.Tls.Tests.Infrastructure;

namespace Bellows.Tls.Tests.ClientHello;

/// <summary>The ClientHello of .NET's own SslStream (OpenSSL underneath), captured live on loopback.</summary>
public class SslStreamClientHelloTests
{
    [Fact]
    public async Task TryParse_SslStreamClientHello_DecodesSniAndAlpn()
    {
        byte[] data = await ClientHelloCapture.CaptureAsync(async stream =>
        {
            using var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "DotNet.Example",
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, _, _, _) => false,
            });
        });

        var status = ClientHelloParser.TryParse(data, out var hello, out string? reason);

        Assert.True(status == ClientHelloParseStatus.Complete, $"{status} {reason}");
        Assert.Equal("dotnet.example", hello!.ServerName);
        Assert.Equal([SslApplicationProtocol.Http2, SslApplicationProtocol.Http11], hello.ApplicationProtocols.ToArray());
        Assert.True(hello.IsTls13Capable);
        Assert.Matches("^t13d[0-9]{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$", hello.ComputeJa4());
    }

    [Fact]
    public async Task TryParse_SslStreamWithIpTarget_HasNoServerName()
    {
        byte[] data = await ClientHelloCapture.CaptureAsync(async stream =>
        {
            using var ssl = new SslStream(stream, leaveInnerStreamOpen: true);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                RemoteCertificateValidationCallback = (_, _, _, _) => false,
            });
        });

        Assert.Equal(ClientHelloParseStatus.Complete, ClientHelloParser.TryParse(data, out var hello));
        Assert.Null(hello!.ServerName);
        Assert.Equal("00", hello.ComputeJa4()[8..10]);
    }
}
