// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Text;
using Bellows.Tls.Certificates;

namespace Bellows.Tls.Internal;

/// <summary>Writing and permission-checking of PEM private key files.</summary>
internal static class PrivateKeyFile
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> with mode 0600 and writes <paramref name="pem"/>. The mode is given to
    /// open(2) (O_CREAT|O_EXCL), so the key is never on disk with wider permissions, not even briefly.
    /// </summary>
    public static void WriteNew(string path, string pem)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(pem));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Throws when the key file is accessible by group or others.</summary>
    public static void EnsurePrivate(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            string octal = Convert.ToString((int)mode, 8).PadLeft(4, '0');
            throw new CertificateAuthorityException(string.Format(
                CultureInfo.InvariantCulture,
                "private key file '{0}' has mode {1}: it must not be accessible by group or others; run 'chmod 600 {0}'",
                path,
                octal));
        }
    }
}
