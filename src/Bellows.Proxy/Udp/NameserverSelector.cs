// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Net;
using Bellows.Config;

namespace Bellows.Proxy.Udp;

/// <summary>
/// Picks the nameserver for a redirected DNS flow. Every configured nameserver is used (Smithproxy keeps only
/// the last one): round-robin per flow, or the first one that has not failed in the last 30 seconds.
/// </summary>
public sealed class NameserverSelector
{
    private const long FailureMemoryMs = 30_000;

    private readonly IPEndPoint[] _servers;
    private readonly long[] _failedAt;
    private readonly DnsSelection _selection;
    private long _next = -1;

    public NameserverSelector(DnsConfig config, string resolvConf = "/etc/resolv.conf")
    {
        ArgumentNullException.ThrowIfNull(config);
        var configured = config.Nameservers.Select(IPAddress.Parse).ToList();
        FromSystem = configured.Count == 0;

        // No dns.nameservers: use the system's resolvers rather than silently dropping redirected DNS.
        _servers = (FromSystem ? ReadResolvConf(resolvConf) : configured).Select(a => new IPEndPoint(a, 53)).ToArray();
        _failedAt = new long[_servers.Length];
        _selection = config.Selection;
    }

    public int Count => _servers.Length;

    /// <summary>True when the nameservers came from resolv.conf because the config named none.</summary>
    public bool FromSystem { get; }

    public IReadOnlyList<IPEndPoint> Servers => _servers;

    internal static List<IPAddress> ReadResolvConf(string path)
    {
        var result = new List<IPAddress>();
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "nameserver" && IPAddress.TryParse(parts[1], out var address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    public IPEndPoint? Pick(long now)
    {
        if (_servers.Length == 0)
        {
            return null;
        }

        if (_selection == DnsSelection.RoundRobin)
        {
            return _servers[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)_servers.Length)];
        }

        for (int i = 0; i < _servers.Length; i++)
        {
            long failed = Volatile.Read(ref _failedAt[i]);
            if (failed == 0 || now - failed > FailureMemoryMs)
            {
                return _servers[i];
            }
        }

        return _servers[0];
    }

    /// <summary>A flow to <paramref name="server"/> got no answer (timeout or ICMP error).</summary>
    public void ReportFailure(IPEndPoint server, long now)
    {
        int i = Array.IndexOf(_servers, server);
        if (i >= 0)
        {
            Volatile.Write(ref _failedAt[i], now);
        }
    }

    public void ReportSuccess(IPEndPoint server)
    {
        int i = Array.IndexOf(_servers, server);
        if (i >= 0)
        {
            Volatile.Write(ref _failedAt[i], 0);
        }
    }
}
