// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Collections.Concurrent;

namespace Bellows.Tls.Validation;

/// <summary>Bounding the per-server caches of validation results.</summary>
internal static class ExpiringEntries
{
    /// <summary>
    /// Makes room for <paramref name="key"/> when the cache is full: drops the expired entries; if that frees
    /// nothing, every entry (a cache, not a record: the next handshakes fill it again).
    /// </summary>
    public static void MakeRoom<TValue>(
        ConcurrentDictionary<string, TValue> entries, string key, int capacity, long now, Func<TValue, long> expiresAt)
    {
        if (entries.Count < capacity || entries.ContainsKey(key))
        {
            return;
        }

        foreach (var (existing, entry) in entries)
        {
            if (expiresAt(entry) <= now)
            {
                entries.TryRemove(existing, out _);
            }
        }

        if (entries.Count >= capacity)
        {
            entries.Clear();
        }
    }
}
