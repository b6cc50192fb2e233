// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Text;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;

namespace Bellows.Lab.Servers;

/// <summary>
/// dnsmasq in the server namespace, authoritative for the lab's names:
/// <c>www.lab.test</c> and the TLS origin's other names (<see cref="LabOriginNames.Resolved"/>) A 198.18.1.2 and
/// AAAA 2001:2:0:2::2 (the server, so https://www.lab.test/ reaches the TLS origin), and <c>big.lab.test</c> a TXT
/// answer of about 850 bytes (over 512: with EDNS it comes over UDP; without EDNS it is truncated and dig
/// retries over TCP).
/// </summary>
public sealed class LabDnsServer : IAsyncDisposable
{
    public const string Name = "www.lab.test";
    public const string BigTxtName = "big.lab.test";
    public const string Address = "198.18.1.2";
    public const string Address6 = "2001:2:0:2::2";

    private readonly Process _process;

    private LabDnsServer(Process process) => _process = process;

    /// <summary>The TXT strings: four of 200 characters (dnsmasq limits a config line to about 1,000 characters).</summary>
    public static IReadOnlyList<string> BigTxtStrings { get; } =
        Enumerable.Range(0, 4).Select(i => new string((char)('a' + i), 200)).ToArray();

    public static async Task<LabDnsServer> StartAsync(NetworkNamespace ns, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (!File.Exists("/usr/sbin/dnsmasq"))
        {
            throw new LabException("dnsmasq is not installed (apt-get install dnsmasq-base)");
        }

        var txt = new StringBuilder("txt-record=").Append(BigTxtName);
        foreach (var s in BigTxtStrings)
        {
            txt.Append(",\"").Append(s).Append('"');
        }

        // host-record: exactly these names (address=/name/ would answer for every name below it too).
        var hosts = new StringBuilder();
        foreach (string name in LabOriginNames.Resolved.Where(n => n != Name))
        {
            hosts.Append("host-record=").Append(name).Append(',').Append(Address).Append(',').Append(Address6).Append('\n');
        }

        string conf = Path.Combine(workDirectory, "dnsmasq.conf");
        await File.WriteAllTextAsync(conf, $"""
            no-resolv
            no-hosts
            no-poll
            bind-interfaces
            listen-address=198.18.1.2,2001:2:0:2::2
            port=53
            address=/{Name}/{Address}
            address=/{Name}/{Address6}
            {hosts}{txt}
            edns-packet-max=4096
            pid-file=

            """).ConfigureAwait(false);
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "netns", "exec", ns.Name, "/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=" + conf, "--user=root" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new LabException("cannot start dnsmasq");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LabDnsServer(process);

        // Ready when it answers.
        for (int i = 0; i < 50; i++)
        {
            var probe = await ns.RunAsync("dig", "+short", "+time=1", "+tries=1", "@198.18.1.2", Name).ConfigureAwait(false);
            if (probe.StandardOutput.Contains(Address, StringComparison.Ordinal))
            {
                return server;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await server.DisposeAsync().ConfigureAwait(false);
        throw new LabException("dnsmasq did not start answering in the server namespace");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
