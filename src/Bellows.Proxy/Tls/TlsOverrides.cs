// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Bellows.Config;

namespace Bellows.Proxy.Tls;

/// <summary>
/// Accepted certificate warnings, each valid for the profile's override duration, and the one-time tokens the
/// warning page hands out to accept them. Both are bounded: a client cannot grow them without limit.
/// </summary>
public sealed class TlsOverrides(TlsOverrideScope scope, TimeSpan duration, TimeProvider time)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _accepted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingOverride> _tokens = new(StringComparer.Ordinal);

    public bool IsAccepted(IPAddress client, string server, string fingerprint)
    {
        var key = Key(client, server, fingerprint);
        if (_accepted.TryGetValue(key, out var until))
        {
            if (until > time.GetUtcNow())
            {
                return true;
            }

            _accepted.TryRemove(key, out _);
        }

        return false;
    }

    /// <summary>A token that, presented by the same client for the same server, accepts the warning.</summary>
    public string Offer(IPAddress client, string server, string fingerprint, string path)
    {
        Prune(_tokens, t => t.Expires);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = new PendingOverride(client, server, fingerprint, path, time.GetUtcNow() + TimeSpan.FromMinutes(10));
        return token;
    }

    /// <summary>Accepts the warning the token was issued for; returns the path to send the client back to.</summary>
    public bool TryAccept(string token, IPAddress client, string server, out string path)
    {
        path = "/";
        if (!_tokens.TryRemove(token, out var pending) || pending.Expires < time.GetUtcNow()
            || !pending.Client.Equals(client) || !string.Equals(pending.Server, server, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Prune(_accepted, until => until);
        _accepted[Key(client, server, pending.Fingerprint)] = time.GetUtcNow() + duration;
        path = pending.Path;
        return true;
    }

    private string Key(IPAddress client, string server, string fingerprint) => scope == TlsOverrideScope.Certificate
        ? "cert|" + fingerprint
        : client + "|" + server.ToLowerInvariant();

    private void Prune<T>(ConcurrentDictionary<string, T> map, Func<T, DateTimeOffset> expires)
    {
        if (map.Count < MaxEntries)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var (key, value) in map)
        {
            if (expires(value) < now)
            {
                map.TryRemove(key, out _);
            }
        }

        // Still full of live entries: forget the lot rather than grow (a warning is shown again).
        if (map.Count >= MaxEntries)
        {
            map.Clear();
        }
    }

    private sealed record PendingOverride(IPAddress Client, string Server, string Fingerprint, string Path, DateTimeOffset Expires);
}
