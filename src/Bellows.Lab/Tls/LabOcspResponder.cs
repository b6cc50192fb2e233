// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;

namespace Bellows.Lab.Tls;

/// <summary>
/// `openssl ocsp` as the origin CA's OCSP responder in the server namespace, port <see cref="LabOriginPki.OcspPort"/>,
/// answering from the PKI's index.txt and signing with the CA itself. Stopped by its PID (and its workers' PIDs)
/// when the lab ends.
/// </summary>
/// <remarks>
/// One `openssl ocsp` process serves one connection at a time and waits for a request on it. .NET's HTTP pool
/// can open a connection it then leaves idle (a request that found another connection first): a single
/// responder blocked on that connection timed out Bellows' next revocation check (3 s, verdict
/// RevocationUnknown). With -multi 8 worker processes, an idle connection holds up one worker only. (The 3 s
/// timeouts the lab still saw after that were Bellows' own: the check waited on a socket event-loop thread for
/// an answer that loop had to deliver; see Bellows.Proxy's Tls/UpstreamStream.cs.)
/// </remarks>
public sealed class LabOcspResponder : IAsyncDisposable
{
    private readonly Process _process;

    private LabOcspResponder(Process process) => _process = process;

    public static Task<LabOcspResponder> StartAsync(NetworkNamespace ns, LabOriginPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        return StartAsync(ns, pki.OcspIndexPath, pki.CaPath, pki.CaKeyPath, LabOriginPki.OcspPort,
            LabOriginPki.LeafPath(pki.Directory, LabOriginNames.Www), LabOriginPki.OcspUrl);
    }

    /// <summary>
    /// A responder for any CA: <paramref name="indexPath"/> is openssl ca's index.txt, <paramref name="probeCertificatePath"/>
    /// a certificate it lists as valid (asked at <paramref name="url"/> until the answer is "good").
    /// </summary>
    public static async Task<LabOcspResponder> StartAsync(NetworkNamespace ns, string indexPath, string caPath, string caKeyPath, int port,
        string probeCertificatePath, string url)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var info = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };

        // -ndays: answers carry a nextUpdate (a verifier may treat an answer without one as stale at once);
        // -ignore_err: one malformed request must not end the responder; -multi: see the remarks.
        foreach (var a in new[]
        {
            "netns", "exec", ns.Name, "openssl", "ocsp", "-index", indexPath, "-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-rsigner", caPath, "-rkey", caKeyPath, "-CA", caPath, "-ndays", "1", "-ignore_err", "-multi", "8",
        })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new LabException("cannot start openssl ocsp");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var responder = new LabOcspResponder(process);

        // Ready when it answers a real query.
        for (int i = 0; i < 50; i++)
        {
            var probe = await QueryAsync(ns, caPath, probeCertificatePath, url).ConfigureAwait(false);
            if (probe.StandardOutput.Contains(": good", StringComparison.Ordinal))
            {
                return responder;
            }

            if (process.HasExited)
            {
                break;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        await responder.DisposeAsync().ConfigureAwait(false);
        throw new LabException($"openssl ocsp did not start answering on port {port} in {ns.Name}");
    }

    /// <summary>Asks the responder about one certificate (PEM file) from <paramref name="ns"/>; the answer is in the output ("…: good").</summary>
    public static Task<CommandResult> QueryAsync(NetworkNamespace ns, LabOriginPki pki, string certificatePath)
    {
        ArgumentNullException.ThrowIfNull(pki);
        return QueryAsync(ns, pki.CaPath, certificatePath, LabOriginPki.OcspUrl);
    }

    private static Task<CommandResult> QueryAsync(NetworkNamespace ns, string caPath, string certificatePath, string url)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.RunAsync(
            ["openssl", "ocsp", "-issuer", caPath, "-cert", certificatePath, "-url", url, "-CAfile", caPath, "-timeout", "2"],
            TimeSpan.FromSeconds(10));
    }

    /// <summary>The responder and its workers (children of this PID; SIGTERM alone does not reach them while the
    /// parent sits in wait()).</summary>
    public ValueTask DisposeAsync() => ProcessTree.KillAndDisposeAsync(_process);
}
