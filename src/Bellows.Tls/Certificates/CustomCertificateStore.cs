// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Bellows.Tls.Internal;

namespace Bellows.Tls.Certificates;

/// <summary>
/// Certificates the operator supplies per SNI or per destination address, laid out as Smithproxy's:
/// <code>
/// &lt;dir&gt;/sni/&lt;host name&gt;/key.pem + fullchain.pem          (preferred)
/// &lt;dir&gt;/sni/&lt;host name&gt;/key.pem + cert.pem [+ issuer.pem, issuer2.pem, issuer3.pem]
/// &lt;dir&gt;/ip/&lt;address&gt;/...                                   (same files; "192.0.2.1", "2001:db8::1")
/// </code>
/// </summary>
/// <remarks>
/// Lookup is exact: the SNI first (case-insensitive, trailing dot ignored), then the target address. There is
/// no wildcard or parent-domain fallback: a folder serves exactly the name it is called. A folder that cannot
/// be loaded is skipped and reported in <see cref="Errors"/>, so one bad folder does not disable the others.
/// Key files must have mode 0600 (or stricter), as the CA key.
/// </remarks>
public sealed class CustomCertificateStore
{
    private static readonly string[] s_issuerFiles = ["issuer.pem", "issuer2.pem", "issuer3.pem"];

    private readonly Dictionary<string, CustomCertificate> _byName;
    private readonly Dictionary<IPAddress, CustomCertificate> _byAddress;

    private CustomCertificateStore(
        Dictionary<string, CustomCertificate> byName,
        Dictionary<IPAddress, CustomCertificate> byAddress,
        ImmutableArray<string> errors)
    {
        _byName = byName;
        _byAddress = byAddress;
        Errors = errors;
    }

    public static CustomCertificateStore Empty { get; } = new([], [], []);

    /// <summary>Folders that were skipped, one line each: "sni/example.com: key.pem is missing".</summary>
    public ImmutableArray<string> Errors { get; }

    public int Count => _byName.Count + _byAddress.Count;

    /// <summary>Loads every <c>sni/*</c> and <c>ip/*</c> folder under <paramref name="directory"/>; a missing directory is empty.</summary>
    public static CustomCertificateStore Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var byName = new Dictionary<string, CustomCertificate>(StringComparer.Ordinal);
        var byAddress = new Dictionary<IPAddress, CustomCertificate>();
        var errors = ImmutableArray.CreateBuilder<string>();

        foreach (string folder in Subfolders(Path.Combine(directory, "sni")))
        {
            string name = Path.GetFileName(folder);
            string? host = HostName.TryNormalize(name);
            if (host is null)
            {
                errors.Add($"sni/{name}: not a host name");
            }
            else if (TryLoadFolder(folder, $"sni/{name}", errors, out var certificate))
            {
                byName[host] = certificate;
            }
        }

        foreach (string folder in Subfolders(Path.Combine(directory, "ip")))
        {
            string name = Path.GetFileName(folder);
            if (!IPAddress.TryParse(name, out var address))
            {
                errors.Add($"ip/{name}: not an IP address");
            }
            else if (TryLoadFolder(folder, $"ip/{name}", errors, out var certificate))
            {
                byAddress[SubjectAltNames.Normalize(address)] = certificate;
            }
        }

        return new CustomCertificateStore(byName, byAddress, errors.DrainToImmutable());
    }

    /// <summary>The certificate for this SNI (exact match) or, failing that, for this target address.</summary>
    public bool TryGet(string? serverName, IPAddress? targetAddress, [NotNullWhen(true)] out CustomCertificate? certificate)
    {
        if (serverName is not null && HostName.TryNormalize(serverName) is { } host && _byName.TryGetValue(host, out certificate))
        {
            return true;
        }

        if (targetAddress is not null && _byAddress.TryGetValue(SubjectAltNames.Normalize(targetAddress), out certificate))
        {
            return true;
        }

        certificate = null;
        return false;
    }

    private static IEnumerable<string> Subfolders(string path) =>
        System.IO.Directory.Exists(path) ? System.IO.Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal) : [];

    private static bool TryLoadFolder(
        string folder,
        string label,
        ImmutableArray<string>.Builder errors,
        [NotNullWhen(true)] out CustomCertificate? certificate)
    {
        certificate = null;
        string keyPath = Path.Combine(folder, "key.pem");
        string fullChain = Path.Combine(folder, "fullchain.pem");
        string single = Path.Combine(folder, "cert.pem");
        string? certPath = File.Exists(fullChain) ? fullChain : File.Exists(single) ? single : null;
        if (!File.Exists(keyPath))
        {
            errors.Add($"{label}: key.pem is missing");
            return false;
        }

        if (certPath is null)
        {
            errors.Add($"{label}: neither fullchain.pem nor cert.pem exists");
            return false;
        }

        try
        {
            PrivateKeyFile.EnsurePrivate(keyPath);
            var leaf = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            var issuers = new X509Certificate2Collection();
            if (certPath == fullChain)
            {
                var all = new X509Certificate2Collection();
                all.ImportFromPemFile(fullChain);
                foreach (var cert in all)
                {
                    if (cert.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                    {
                        cert.Dispose();
                    }
                    else
                    {
                        issuers.Add(cert);
                    }
                }
            }
            else
            {
                foreach (string issuerFile in s_issuerFiles)
                {
                    string path = Path.Combine(folder, issuerFile);
                    if (File.Exists(path))
                    {
                        issuers.ImportFromPemFile(path);
                    }
                }
            }

            certificate = new CustomCertificate(folder, leaf, issuers);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException or CertificateAuthorityException or UnauthorizedAccessException)
        {
            errors.Add($"{label}: {ex.Message}");
            return false;
        }
    }
}
