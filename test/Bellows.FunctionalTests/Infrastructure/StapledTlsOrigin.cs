// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>What an <see cref="StapledTlsOrigin"/> staples to its handshakes.</summary>
internal enum OcspStaple
{
    None,
    Good,
    Revoked,
}

/// <summary>
/// `openssl s_server` in the server namespace with a fresh leaf from the lab's origin CA whose only revocation
/// source is an OCSP URL where nothing listens: whoever checks it can learn the status from the stapled response
/// alone. The response is made offline (`openssl ocsp -index ... -respout`) and served with -status_file; the
/// page is a fixed file (-WWW). Stopped by its PID.
/// </summary>
internal sealed class StapledTlsOrigin : IAsyncDisposable
{
    /// <summary>The leaf's OCSP URL: the server namespace, a port nothing listens on (the connection is refused at once).</summary>
    public static readonly string DeadOcspUrl = $"http://{LabTopology.ServerV4}:8889/";

    public const string PagePath = "/staple.txt";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private StapledTlsOrigin(string name, int port, string page, Process process, ConcurrentQueue<string> output)
    {
        Name = name;
        Port = port;
        Page = page;
        _process = process;
        _output = output;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The body of <see cref="PagePath"/>, unique to this origin.</summary>
    public string Page { get; }

    public string Url => $"https://{Name}:{Port}{PagePath}";

    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Makes the leaf (and the staple), starts s_server on <paramref name="port"/> and waits (bounded) until a
    /// handshake from the gateway namespace, which is not diverted, shows the expected staple.
    /// </summary>
    /// <param name="ocspUrl">The leaf's OCSP URL; by default <see cref="DeadOcspUrl"/>.</param>
    public static async Task<StapledTlsOrigin> StartAsync(LabFixture fixture, string name, int port, OcspStaple staple, string? ocspUrl = null)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var pki = fixture.Lab.OriginPki ?? throw new InvalidOperationException("the lab has no origin PKI");
        string directory = Path.Combine(fixture.Lab.WorkDirectory, "staple", name);
        Directory.CreateDirectory(directory);
        string leafPath = Path.Combine(directory, "leaf.pem");
        string keyPath = Path.Combine(directory, "leaf-key.pem");
        string page = $"stapled origin {name} ({staple})\n";
        await File.WriteAllTextAsync(Path.Combine(directory, PagePath.TrimStart('/')), page);

        var now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = (byte)((serial[0] & 0x7f) | 0x10);
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(pki.CaCertificate, true, false));
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl ?? DeadOcspUrl], null));
            using var leaf = request.Create(pki.CaCertificate, now.AddDays(-1), now.AddDays(30), serial);
            await File.WriteAllTextAsync(leafPath, leaf.ExportCertificatePem() + "\n");
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            if (staple != OcspStaple.None)
            {
                await WriteStapleAsync(directory, pki.CaPath, pki.CaKeyPath, leafPath, leaf.NotAfter, serial, name, staple, now);
            }
        }

        var info = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };

        // -quiet implies -ign_eof, and stdin stays open anyway (redirected, never closed) until the kill.
        string[] arguments =
        [
            "netns", "exec", fixture.Lab.Topology.Server.Name, "openssl", "s_server", "-quiet", "-accept", port.ToString(CultureInfo.InvariantCulture),
            "-cert", leafPath, "-key", keyPath, "-WWW",
            .. staple == OcspStaple.None ? Array.Empty<string>() : ["-status_file", Path.Combine(directory, "staple.der")],
        ];
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start openssl s_server");
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var origin = new StapledTlsOrigin(name, port, page, process, output);
        try
        {
            await origin.WaitUntilStaplingAsync(fixture.Lab.Topology.Gateway, staple);

            // The premise of the default URL: Bellows (in the gateway) cannot reach the leaf's OCSP responder.
            // curl 7: could not connect.
            if (ocspUrl is null)
            {
                var ocsp = await fixture.Lab.Topology.Gateway.RunAsync(["curl", "-sS", "--max-time", "5", "-o", "/dev/null", DeadOcspUrl], TimeSpan.FromSeconds(15));
                Assert.True(ocsp.ExitCode == 7, $"something answers at {DeadOcspUrl} (curl exit {ocsp.ExitCode}: {ocsp.StandardError})");
            }
        }
        catch
        {
            await origin.DisposeAsync();
            throw;
        }

        return origin;
    }

    public ValueTask DisposeAsync() => ProcessTree.KillAndDisposeAsync(_process);

    /// <summary>openssl index.txt with one line (V, or R revoked an hour ago), then the signed response, offline.</summary>
    private static async Task WriteStapleAsync(string directory, string caPath, string caKeyPath, string leafPath, DateTime notAfter,
        byte[] serial, string name, OcspStaple staple, DateTimeOffset now)
    {
        static string IndexTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";
        string index = Path.Combine(directory, "index.txt");
        string revokedAt = staple == OcspStaple.Revoked ? IndexTime(now.AddHours(-1)) + ",keyCompromise" : "";
        await File.WriteAllTextAsync(index,
            $"{(staple == OcspStaple.Revoked ? 'R' : 'V')}\t{IndexTime(new DateTimeOffset(notAfter.ToUniversalTime()))}\t{revokedAt}\t{Convert.ToHexString(serial)}\tunknown\t/CN={name}\n");
        await File.WriteAllTextAsync(index + ".attr", "unique_subject = no\n");
        string response = Path.Combine(directory, "staple.der");
        var made = await CommandRunner.RunAsync("openssl",
            ["ocsp", "-index", index, "-CA", caPath, "-rsigner", caPath, "-rkey", caKeyPath, "-issuer", caPath, "-cert", leafPath,
             "-respout", response, "-ndays", "1"],
            TimeSpan.FromSeconds(20));

        // What it says is checked on the wire, by the s_client probe in WaitUntilStaplingAsync.
        Assert.True(made.Succeeded && File.Exists(response), $"openssl ocsp -respout failed ({made.ExitCode}): {made.StandardError} {made.StandardOutput}");
    }

    /// <summary>Bounded: 50 tries, 100 ms apart, each s_client limited to 10 s.</summary>
    private async Task WaitUntilStaplingAsync(NetworkNamespace gateway, OcspStaple staple)
    {
        string expected = staple switch
        {
            OcspStaple.Good => "Cert Status: good",
            OcspStaple.Revoked => "Cert Status: revoked",
            _ => "OCSP response: no response sent",
        };
        string last = "";
        for (int attempt = 0; attempt < 50 && !_process.HasExited; attempt++)
        {
            var probe = await gateway.RunWithInputAsync(
                ["openssl", "s_client", "-connect", $"{LabTopology.ServerV4}:{Port}", "-servername", Name, "-status"], "", TimeSpan.FromSeconds(10));
            last = probe.StandardOutput + probe.StandardError;
            if (last.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                Assert.True(last.Contains(expected, StringComparison.Ordinal), $"s_server for {Name} does not staple as expected ({expected}):\n{last}");
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"s_server for {Name} on port {Port} never completed a handshake (exited: {_process.HasExited}):\n{Output}\n{last}");
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null && output.Count < 200)
        {
            output.Enqueue(line);
        }
    }
}
