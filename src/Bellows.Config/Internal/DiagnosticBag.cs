// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>Collects every error and warning of one load; binding never stops at the first.</summary>
internal sealed class DiagnosticBag(string source)
{
    private readonly List<ConfigDiagnostic> _errors = [];
    private readonly List<ConfigDiagnostic> _warnings = [];

    public void Error(TextPosition at, string path, string message) => _errors.Add(Create(at, path, message));

    public void Warning(TextPosition at, string path, string message) => _warnings.Add(Create(at, path, message));

    /// <summary>The result, with diagnostics in file order; the config is dropped if there is any error.</summary>
    public ConfigResult ToResult(BellowsConfig? config) =>
        new(_errors.Count == 0 ? config : null, InFileOrder(_errors), InFileOrder(_warnings));

    private static ConfigDiagnostic[] InFileOrder(List<ConfigDiagnostic> diagnostics) =>
        [.. diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column)];

    private ConfigDiagnostic Create(TextPosition at, string path, string message) =>
        new(source, at.Line, at.Column, ConfigPath.Display(path), message);
}
