// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
namespace Bellows.Proxy.Tls;

/// <summary>
/// Turns on .NET's NSS key log (SSLKEYLOGFILE) for the whole process, which covers both legs of every
/// inspected session: Wireshark then decrypts captures of either side.
/// </summary>
/// <remarks>
/// .NET (9 and later, OpenSSL backends) writes the key log only when the SSLKEYLOGFILE environment variable
/// and the <c>System.Net.EnableSslKeyLogging</c> switch are both set before the first TLS handshake of the
/// process; it cannot be switched per session or turned off again. The file is created 0600 first, because
/// .NET would create it with the umask's mode and it holds every session's secrets.
/// </remarks>
internal static class TlsKeyLog
{
    public static void Enable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (new FileStream(path, options))
        {
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Environment.SetEnvironmentVariable("SSLKEYLOGFILE", path);
        AppContext.SetSwitch("System.Net.EnableSslKeyLogging", true);
    }
}
