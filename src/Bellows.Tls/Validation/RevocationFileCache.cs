// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Tls.Validation;

/// <summary>
/// .NET's on-disk revocation cache: the OCSP responses and CRLs its chain builds fetched, one file per
/// certificate (OCSP) or issuer (CRL) under ~/.dotnet/corefx/cryptography. .NET rewrites a file when it fetches
/// afresh but never deletes one, so on a gateway that meets new sites every day these directories only grow.
/// <see cref="Prune"/> removes the files nobody has refreshed for a while: stale answers that .NET would fetch
/// again anyway.
/// </summary>
public static class RevocationFileCache
{
    /// <summary>OCSP responses and CRLs are normally good for at most 7-10 days: older files are stale.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(10);

    /// <summary>Bound on the files one pass looks at, so that a huge directory costs a bounded pass.</summary>
    public const int MaxFilesPerPass = 100_000;

    /// <summary>Where .NET keeps them for this user.</summary>
    public static IReadOnlyList<string> Directories { get; } =
    [
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "corefx", "cryptography", "ocsp"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "corefx", "cryptography", "crls"),
    ];

    /// <summary>Deletes the files in <paramref name="directories"/> last written more than <paramref name="maxAge"/> before <paramref name="now"/>.</summary>
    /// <returns>How many files were deleted. Files that vanish or cannot be deleted meanwhile are skipped.</returns>
    public static int Prune(IEnumerable<string> directories, DateTimeOffset now, TimeSpan maxAge)
    {
        ArgumentNullException.ThrowIfNull(directories);
        int deleted = 0;
        int seen = 0;
        foreach (string directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(directory))
            {
                if (++seen > MaxFilesPerPass)
                {
                    return deleted;
                }

                try
                {
                    if (now.UtcDateTime - File.GetLastWriteTimeUtc(file) > maxAge)
                    {
                        File.Delete(file);
                        deleted++;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // In use or gone: the next pass tries again.
                }
            }
        }

        return deleted;
    }
}
