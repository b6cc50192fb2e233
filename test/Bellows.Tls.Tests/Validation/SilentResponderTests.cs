// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Tests.Infrastructure;
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

/// <summary>
/// A revocation responder that accepts and never answers, met by a server whose root Bellows has not learned as
/// an anchor yet: the build against the learned anchors cannot end at that root and the full store has to decide.
/// The responder must be asked (and waited for) once, not once per build.
/// </summary>
public sealed class SilentResponderTests : IAsyncLifetime
{
    private static readonly IPAddress s_ip = IPAddress.Parse("192.0.2.13");

    private readonly TempDirectory _dir = new();
    private readonly X509Certificate2 _learnedRoot = TestCertificates.CreateRoot($"Silent Test Learned Root {Guid.NewGuid():N}");
    private readonly X509Certificate2 _otherRoot = TestCertificates.CreateRoot($"Silent Test Other Root {Guid.NewGuid():N}");
    private readonly X509Certificate2[] _fillers = [.. Enumerable.Range(1, 6).Select(i => TestCertificates.CreateRoot($"Silent Test Filler {i} {Guid.NewGuid():N}"))];
    private readonly Socket _silent = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private int _asked;

    public Task InitializeAsync()
    {
        _silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _silent.Listen(16);
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var connection = await _silent.AcceptAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(connection);
                }

                Interlocked.Increment(ref _asked);
            }
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _silent.Dispose();
        lock (_held)
        {
            _held.ForEach(s => s.Dispose());
        }

        foreach (var certificate in _fillers.Append(_learnedRoot).Append(_otherRoot))
        {
            certificate.Dispose();
        }

        _stop.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void UnseenServer_RootNotLearned_SilentOcspResponder_AskedOnce()
    {
        string bundle = _dir.Combine("bundle.pem");
        TestCertificates.WritePem(bundle, [.. _fillers, _learnedRoot, _otherRoot]);
        var validator = new UpstreamCertificateValidator(new UpstreamValidationOptions
        {
            TrustBundlePath = bundle,
            Revocation = RevocationCheckMode.SoftFail,
            RevocationTimeout = TimeSpan.FromSeconds(1),
        });
        using var teacher = TestCertificates.CreateLeaf(_learnedRoot, "CN=a.example", ["a.example"]);
        SimulatedHandshake.Run(validator, "a.example", s_ip, teacher, [], out _);
        using var leaf = LeafWithOcsp(_otherRoot, "b.example", $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndPoint!).Port}/");

        var watch = Stopwatch.StartNew();
        var verdict = SimulatedHandshake.Run(validator, "b.example", s_ip, leaf, [], out var offered);
        watch.Stop();

        Assert.Single(offered.CustomTrustStore); // built against the learned anchor first
        Assert.Equal(CertificateProblems.RevocationUnknown, verdict.Problems);
        Assert.True(verdict.IsTrusted);
        Assert.Equal(1, Volatile.Read(ref _asked));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {watch.ElapsedMilliseconds} ms: the responder was not waited for");
    }

    private static X509Certificate2 LeafWithOcsp(X509Certificate2 issuer, string name, string ocspUrl)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        var now = DateTimeOffset.UtcNow;
        return request.Create(issuer, now.AddDays(-1), now.AddDays(10), RandomNumberGenerator.GetBytes(8));
    }
}
