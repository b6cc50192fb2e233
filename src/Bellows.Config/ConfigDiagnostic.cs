// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config;

/// <summary>
/// One error or warning about a config file. <paramref name="Line"/> and <paramref name="Column"/> are 1-based
/// (column counted in characters); both are 0 when the file could not be read. <paramref name="Key"/> is the key
/// path, such as <c>listeners[1].port</c>, or <c>$</c> for the document as a whole.
/// </summary>
public sealed record ConfigDiagnostic(string Source, int Line, int Column, string Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Source}:{Line}:{Column}: {Key}: {Message}";
}
