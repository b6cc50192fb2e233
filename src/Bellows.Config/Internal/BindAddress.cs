// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Net;
using System.Net.Sockets;

namespace Bellows.Config.Internal;

/// <summary>Parsing and overlap rules for IP literals in the config: listener bind addresses and nameservers.</summary>
internal static class BindAddress
{
    /// <summary>
    /// Accepts an IPv4 address only in dotted-quad form and an IPv6 address without brackets or port, whose
    /// <c>%scope</c>, if any, names an interface that exists. <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// alone takes inet_aton forms such as "80" (0.0.0.80) and "010.0.0.1" (octal, 8.0.0.1), takes "[::1]:80",
    /// and silently drops a scope naming an unknown interface.
    /// </summary>
    public static bool TryParse(string text, out IPAddress address)
    {
        if (!IPAddress.TryParse(text, out var parsed))
        {
            address = IPAddress.None;
            return false;
        }

        address = parsed;
        return parsed.AddressFamily == AddressFamily.InterNetworkV6
            ? !text.Contains('[', StringComparison.Ordinal) && (parsed.ScopeId != 0 || !text.Contains('%', StringComparison.Ordinal))
            : parsed.ToString() == text;
    }

    /// <summary>Why <paramref name="text"/> failed <see cref="TryParse"/>, as a diagnostic message.</summary>
    public static string ParseError(string text) =>
        text.Contains('%', StringComparison.Ordinal)
            ? $"'{text}' is not an IPv6 address with the scope of an existing interface"
            : $"'{text}' is not an IP address; write an IPv4 address as a.b.c.d and IPv6 without brackets";

    /// <summary>
    /// Whether two sockets on the same port would collide: the same family and either the same address or one
    /// of them the wildcard. IPv6 sockets are V6ONLY, so "::" does not cover IPv4 addresses.
    /// </summary>
    public static bool Overlaps(IPAddress a, IPAddress b) =>
        a.AddressFamily == b.AddressFamily && (a.Equals(b) || IsWildcard(a) || IsWildcard(b));

    /// <summary>Whether <paramref name="address"/> is <c>0.0.0.0</c> or <c>::</c>.</summary>
    public static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
