// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Diagnostics.CodeAnalysis;

namespace Bellows.Config;

/// <summary>
/// The outcome of loading a config. <paramref name="Config"/> is set only when there are no errors;
/// warnings never make a config invalid. Diagnostics are in file order.
/// </summary>
public sealed record ConfigResult(
    BellowsConfig? Config,
    IReadOnlyList<ConfigDiagnostic> Errors,
    IReadOnlyList<ConfigDiagnostic> Warnings)
{
    /// <summary>True when there are no errors; <see cref="Config"/> is then not null.</summary>
    [MemberNotNullWhen(true, nameof(Config))]
    public bool IsValid => Errors.Count == 0;
}
