// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Lab.Processes;
using Bellows.Tls.Certificates;

namespace Bellows.FunctionalTests.Host;

/// <summary>`bellows ca init` and `bellows ca export` as an operator runs them.</summary>
public sealed class CaCommandTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"bellows-ca-{Guid.NewGuid():N}");

    public CaCommandTests()
    {
        Directory.CreateDirectory(_root);
    }

    private string CaDir => Path.Combine(_root, "var", "ca");

    private string CertPath => Path.Combine(CaDir, CertificateAuthority.CertificateFileName);

    private string KeyPath => Path.Combine(CaDir, CertificateAuthority.KeyFileName);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task CaInit_MissingDirectory_CreatesDirectory0700AndKey0600()
    {
        var result = await BellowsAsync("ca", "init", "--dir", CaDir);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(OwnerAll, File.GetUnixFileMode(CaDir));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
        using var ca = CertificateAuthority.Load(CaDir);
        Assert.StartsWith("CN=Bellows CA ", ca.Certificate.Subject, StringComparison.Ordinal);
        Assert.Contains(CertPath, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(Fingerprint(ca.Certificate), result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("valid:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("update-ca-certificates", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaInit_ExistingCa_FailsAndLeavesTheFilesUnchanged()
    {
        (await BellowsAsync("ca", "init", "--dir", CaDir)).EnsureSuccess();
        var cert = await File.ReadAllBytesAsync(CertPath);
        var key = await File.ReadAllBytesAsync(KeyPath);

        var result = await BellowsAsync("ca", "init", "--dir", CaDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already exists", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("--force", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(cert, await File.ReadAllBytesAsync(CertPath));
        Assert.Equal(key, await File.ReadAllBytesAsync(KeyPath));
    }

    [Fact]
    public async Task CaInit_OnlyAKeyLeft_FailsWithoutForce()
    {
        Directory.CreateDirectory(CaDir);
        await File.WriteAllTextAsync(KeyPath, "not a key");

        var result = await BellowsAsync("ca", "init", "--dir", CaDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("not a key", await File.ReadAllTextAsync(KeyPath));
        Assert.False(File.Exists(CertPath));
    }

    [Fact]
    public async Task CaInit_Force_ReplacesTheCa()
    {
        (await BellowsAsync("ca", "init", "--dir", CaDir)).EnsureSuccess();
        var oldCert = await File.ReadAllBytesAsync(CertPath);
        var oldKey = await File.ReadAllBytesAsync(KeyPath);

        var result = await BellowsAsync("ca", "init", "--dir", CaDir, "--force");

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("replaced", result.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(oldCert, await File.ReadAllBytesAsync(CertPath));
        Assert.NotEqual(oldKey, await File.ReadAllBytesAsync(KeyPath));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyPath));
        using var ca = CertificateAuthority.Load(CaDir);
        Assert.Contains(Fingerprint(ca.Certificate), result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(
            [CertificateAuthority.CertificateFileName, CertificateAuthority.KeyFileName],
            Directory.GetFileSystemEntries(CaDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CaInit_NoDir_UsesTheConfigCaDir()
    {
        string config = Path.Combine(_root, "bellows.jsonc");
        await File.WriteAllTextAsync(config, $$"""{ "tls": { "ca_dir": "{{CaDir}}" } }""");

        var result = await BellowsAsync("ca", "init", "--config", config);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.True(File.Exists(CertPath));
        Assert.True(File.Exists(KeyPath));
    }

    [Fact]
    public async Task CaInit_InvalidConfig_FailsWithTheConfigError()
    {
        string config = Path.Combine(_root, "bellows.jsonc");
        await File.WriteAllTextAsync(config, """{ "tls": { "ca_dir": "" } }""");

        var result = await BellowsAsync("ca", "init", "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("tls.ca_dir", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaExport_AfterInit_PrintsThePemOfCaCertPem()
    {
        (await BellowsAsync("ca", "init", "--dir", CaDir)).EnsureSuccess();

        var result = await BellowsAsync("ca", "export", "--dir", CaDir);

        Assert.True(result.Succeeded, result.StandardError);
        using var exported = X509Certificate2.CreateFromPem(result.StandardOutput);
        using var onDisk = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertPath));
        Assert.Equal(onDisk.RawData, exported.RawData);
        Assert.Equal(await File.ReadAllTextAsync(CertPath), result.StandardOutput);
    }

    [Fact]
    public async Task CaExport_NoCa_FailsWithAMessage()
    {
        var result = await BellowsAsync("ca", "export", "--dir", CaDir);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StandardOutput);
        Assert.Contains($"no CA certificate at {CertPath}", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("bellows ca init", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca")]
    [InlineData("ca", "create")]
    [InlineData("ca", "export", "--force")]
    [InlineData("ca", "init", "--directory", "/tmp")]
    public async Task Ca_BadCommandLine_ExitsWithUsageError(params string[] args)
    {
        var result = await BellowsAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("bellows: ", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<CommandResult> BellowsAsync(params string[] args) =>
        CommandRunner.RunAsync("dotnet", BellowsProcess.Command().Skip(1).Concat(args), TimeSpan.FromSeconds(30));

    private static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(pair => new string(pair)));
}
