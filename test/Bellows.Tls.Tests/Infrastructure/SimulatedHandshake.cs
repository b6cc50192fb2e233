// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Infrastructure;

/// <summary>What SslStream does with an upstream certificate: without the network, or through a real handshake.</summary>
internal static class SimulatedHandshake
{
    /// <summary>
    /// Builds the chain with (a copy of) the policy <see cref="UpstreamCertificateValidator.ChainPolicyFor"/> gives,
    /// the server's certificates as extra store, then calls back into the validator. <paramref name="offered"/> is
    /// that policy, to see what the build was allowed to trust.
    /// </summary>
    public static CertificateVerdict Run(
        UpstreamCertificateValidator validator, string server, IPAddress address, X509Certificate2 leaf, X509Certificate2[] sent, out X509ChainPolicy offered)
    {
        offered = validator.ChainPolicyFor(server).Clone();
        using var chain = new X509Chain { ChainPolicy = offered };
        chain.ChainPolicy.ExtraStore.AddRange(sent.Select(TestCertificates.PublicOnly).ToArray());
        chain.Build(leaf);
        return validator.Validate(leaf, chain, SslPolicyErrors.None, server, address, server);
    }

    /// <summary>
    /// The same through a real handshake: a loopback SslStream server with <paramref name="served"/>, a client
    /// with the policy the validator gives and a callback into it, as the proxy's upstream leg does.
    /// </summary>
    public static async Task<CertificateVerdict> RealAsync(
        UpstreamCertificateValidator validator, string server, IPAddress address, SslStreamCertificateContext served)
    {
        CertificateVerdict verdict = default;
        var client = new SslClientAuthenticationOptions
        {
            TargetHost = server,
            CertificateChainPolicy = validator.ChainPolicyFor(server),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                verdict = validator.Validate(certificate, chain, errors, server, address, server);
                return true;
            },
        };
        await LoopbackTls.HandshakeAsync(new SslServerAuthenticationOptions { ServerCertificateContext = served }, client);
        return verdict;
    }
}
