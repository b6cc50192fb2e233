// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Certificates;

namespace Bellows.Host.Commands;

/// <summary>`bellows ca init [--force]`: a new CA, replacing an existing one only with --force.</summary>
internal static partial class CaCommand
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static int Init(string directory, bool force)
    {
        string certPath = Path.Combine(directory, CertificateAuthority.CertificateFileName);
        string keyPath = Path.Combine(directory, CertificateAuthority.KeyFileName);
        string? existing = File.Exists(certPath) ? certPath : File.Exists(keyPath) ? keyPath : null;
        if (existing is not null && !force)
        {
            Console.Error.WriteLine(
                $"bellows ca: a CA already exists in {directory} ({Path.GetFileName(existing)}); nothing was changed. "
                + "Use --force to replace it: clients that trust the old CA will then reject inspected connections until they trust the new one.");
            return 1;
        }

        EnsureDirectory(directory);
        string commonName = "Bellows CA " + Dns.GetHostName();
        using var ca = existing is null ? CertificateAuthority.Create(directory, commonName) : Replace(directory, commonName);
        PrintCreated(ca, existing is not null);
        return 0;
    }

    /// <summary>Creates the directory 0700 if missing (its parents with the default mode); an existing one is kept as it is.</summary>
    private static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        string? parent = Path.GetDirectoryName(directory);
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(directory, OwnerOnly);
    }

    /// <summary>
    /// Creates the new CA in a private scratch directory beside the old one, then renames its files over the old
    /// ones: a failure before the renames leaves the old CA intact, and the key is 0600 throughout.
    /// </summary>
    private static CertificateAuthority Replace(string directory, string commonName)
    {
        string scratch = Path.Combine(directory, ".ca-init-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch, OwnerOnly);
        try
        {
            CertificateAuthority.Create(scratch, commonName).Dispose();
            File.Move(Path.Combine(scratch, CertificateAuthority.KeyFileName), Path.Combine(directory, CertificateAuthority.KeyFileName), overwrite: true);
            File.Move(Path.Combine(scratch, CertificateAuthority.CertificateFileName), Path.Combine(directory, CertificateAuthority.CertificateFileName), overwrite: true);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return CertificateAuthority.Load(directory);
    }

    private static void PrintCreated(CertificateAuthority ca, bool replaced)
    {
        var certificate = ca.Certificate;
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine(replaced ? $"replaced the Bellows CA in {ca.Directory}" : $"created the Bellows CA in {ca.Directory}");
        Console.WriteLine($"  certificate: {ca.CertificatePath}");
        Console.WriteLine($"  key:         {Path.Combine(ca.Directory!, CertificateAuthority.KeyFileName)} (mode 0600; keep it secret)");
        Console.WriteLine($"  subject:     {certificate.Subject}");
        Console.WriteLine($"  SHA-256:     {Fingerprint(certificate)}");
        Console.WriteLine(string.Create(
            invariant,
            $"  valid:       {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC"));
        Console.WriteLine();
        Console.Write(ca.TrustInstructions);
    }

    /// <summary>The SHA-256 fingerprint as <c>openssl x509 -fingerprint -sha256</c> prints it: AB:CD:...</summary>
    internal static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', certificate.GetCertHashString(HashAlgorithmName.SHA256).Chunk(2).Select(pair => new string(pair)));
}
