// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Internal;

/// <summary>The JSON spelling of every enum-like value. Enum values match exactly; the log level ignores case.</summary>
internal static class Choices
{
    public static readonly ChoiceTable<ListenerMode> ListenerModes = new(
        StringComparison.Ordinal,
        ("tproxy", ListenerMode.Tproxy),
        ("redirect", ListenerMode.Redirect));

    public static readonly ChoiceTable<ListenerProtocol> Protocols = new(
        StringComparison.Ordinal,
        ("tcp", ListenerProtocol.Tcp),
        ("udp", ListenerProtocol.Udp));

    public static readonly ChoiceTable<DnsSelection> DnsSelections = new(
        StringComparison.Ordinal,
        ("round-robin", DnsSelection.RoundRobin),
        ("first-alive", DnsSelection.FirstAlive));

    public static readonly ChoiceTable<NatMode> NatModes = new(
        StringComparison.Ordinal,
        ("auto", NatMode.Auto),
        ("none", NatMode.None));

    public static readonly ChoiceTable<AcceptorMode> AcceptorModes = new(
        StringComparison.Ordinal,
        ("reuseport", AcceptorMode.ReusePort),
        ("shared", AcceptorMode.Shared));

    public static readonly ChoiceTable<TlsListenerMode> TlsListenerModes = new(
        StringComparison.Ordinal,
        ("off", TlsListenerMode.Off),
        ("detect", TlsListenerMode.Detect),
        ("always", TlsListenerMode.Always));

    public static readonly ChoiceTable<TlsInspectionMode> TlsInspectionModes = new(
        StringComparison.Ordinal,
        ("inspect", TlsInspectionMode.Inspect),
        ("bypass", TlsInspectionMode.Bypass));

    public static readonly ChoiceTable<TlsFailureAction> TlsFailureActions = new(
        StringComparison.Ordinal,
        ("block", TlsFailureAction.Block),
        ("warn", TlsFailureAction.Warn));

    public static readonly ChoiceTable<TlsOverrideScope> TlsOverrideScopes = new(
        StringComparison.Ordinal,
        ("client-server", TlsOverrideScope.ClientServer),
        ("certificate", TlsOverrideScope.Certificate));

    public static readonly ChoiceTable<TlsRevocationMode> TlsRevocationModes = new(
        StringComparison.Ordinal,
        ("off", TlsRevocationMode.Off),
        ("soft-fail", TlsRevocationMode.SoftFail),
        ("hard-fail", TlsRevocationMode.HardFail));

    public static readonly ChoiceTable<NonTlsAction> NonTlsActions = new(
        StringComparison.Ordinal,
        ("relay", NonTlsAction.Relay),
        ("drop", NonTlsAction.Drop));

    // Microsoft.Extensions.Logging's LogLevel names, stored lower-case whatever the file's spelling.
    public static readonly ChoiceTable<string> LogLevels = new(
        StringComparison.OrdinalIgnoreCase,
        ("trace", "trace"),
        ("debug", "debug"),
        ("information", "information"),
        ("warning", "warning"),
        ("error", "error"),
        ("critical", "critical"),
        ("none", "none"));

    public static readonly ChoiceTable<string> LogFormats = new(
        StringComparison.Ordinal,
        ("text", "text"),
        ("json", "json"));
}
