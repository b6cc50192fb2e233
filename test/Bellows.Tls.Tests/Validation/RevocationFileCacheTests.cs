// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Tls.Validation;

namespace Bellows.Tls.Tests.Validation;

public sealed class RevocationFileCacheTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private readonly string _root = Directory.CreateTempSubdirectory("bellows-revfiles-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Prune_DeletesOnlyFilesOlderThanMaxAge_InEveryDirectory()
    {
        string ocsp = Directory.CreateDirectory(Path.Combine(_root, "ocsp")).FullName;
        string crls = Directory.CreateDirectory(Path.Combine(_root, "crls")).FullName;
        string staleOcsp = Write(ocsp, "a.ocsp", s_now.AddDays(-11));
        string freshOcsp = Write(ocsp, "b.ocsp", s_now.AddDays(-9));
        string staleCrl = Write(crls, "c.crl", s_now.AddDays(-30));
        string freshCrl = Write(crls, "d.crl", s_now.AddHours(-1));

        int deleted = RevocationFileCache.Prune([ocsp, crls, Path.Combine(_root, "missing")], s_now, TimeSpan.FromDays(10));

        Assert.Equal(2, deleted);
        Assert.False(File.Exists(staleOcsp));
        Assert.False(File.Exists(staleCrl));
        Assert.True(File.Exists(freshOcsp));
        Assert.True(File.Exists(freshCrl));
    }

    [Fact]
    public void Prune_NothingToDo_DeletesNothing()
    {
        string ocsp = Directory.CreateDirectory(Path.Combine(_root, "ocsp")).FullName;
        Write(ocsp, "a.ocsp", s_now);

        Assert.Equal(0, RevocationFileCache.Prune([ocsp], s_now, RevocationFileCache.DefaultMaxAge));
        Assert.Single(Directory.EnumerateFiles(ocsp));
    }

    [Fact]
    public void Directories_AreDotNetsUserCache()
    {
        Assert.All(RevocationFileCache.Directories, d => Assert.Contains(Path.Combine(".dotnet", "corefx", "cryptography"), d, StringComparison.Ordinal));
        Assert.Equal(["ocsp", "crls"], RevocationFileCache.Directories.Select(Path.GetFileName));
    }

    private static string Write(string directory, string name, DateTimeOffset lastWrite)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "x");
        File.SetLastWriteTimeUtc(path, lastWrite.UtcDateTime);
        return path;
    }
}
