// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Globalization;
using System.Net;
using Bellows.Lab.Network;
using Bellows.Lab.Servers;

namespace Bellows.LabBenchmarks.Tools;

/// <summary>
/// nginx in the server namespace, serving <see cref="FilePath"/> (1 KiB of <see cref="LabPattern"/> bytes). Two
/// workers with room for 10,000 connections each, no access log, keep-alive without a request cap: it should
/// never be what limits a run.
/// With <see cref="NginxTls"/> it also serves HTTPS (the TLS suite): <see cref="FilePath"/> and
/// <see cref="BulkFilePath"/> on port 443 with no session resumption at all (no cache, no tickets: every handshake
/// is a full one), the same on <see cref="NginxTls.ResumptionProbePort"/> with resumption on and an access log
/// of <c>$ssl_session_reused</c> (to see whether a client resumes), and <c>stub_status</c> on 127.0.0.1:8080 (its
/// "accepts" count tells how many TLS connections reached the origin).
/// </summary>
public static class NginxServer
{
    public const string FilePath = "/1k.bin";

    public const int FileLength = 1024;

    public const string BulkFilePath = "/100m.bin";

    public const long BulkFileLength = 100L * 1024 * 1024;

    public const int StatusPort = 8080;

    public static async Task<ToolProcess> StartAsync(NetworkNamespace ns, string workDirectory, IPAddress address, int port, NginxTls? tls = null)
    {
        ArgumentNullException.ThrowIfNull(ns);
        string root = Path.Combine(workDirectory, "nginx");
        string htdocs = Path.Combine(root, "htdocs");
        Directory.CreateDirectory(htdocs);
        var body = new byte[FileLength];
        LabPattern.Fill(0, body);
        await File.WriteAllBytesAsync(Path.Combine(htdocs, FilePath.TrimStart('/')), body).ConfigureAwait(false);
        if (tls is not null)
        {
            await WriteBulkFileAsync(Path.Combine(htdocs, BulkFilePath.TrimStart('/'))).ConfigureAwait(false);
        }

        string config = Path.Combine(root, "nginx.conf");
        await File.WriteAllTextAsync(config, Render(root, htdocs, address, port, tls)).ConfigureAwait(false);
        var nginx = ToolProcess.Start(ns, "nginx", ["nginx", "-p", root + "/", "-c", config, "-e", Path.Combine(root, "error.log")]);
        await ListenProbe.WaitAsync(ns, port, nginx, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        if (tls is not null)
        {
            await ListenProbe.WaitAsync(ns, tls.Port, nginx, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        }

        return nginx;
    }

    /// <summary>The path of the resumption probe's access log: one line per request, "r" (resumed) or "." (full).</summary>
    public static string ResumptionLogPath(string workDirectory) => Path.Combine(workDirectory, "nginx", "resumption.log");

    /// <summary>nginx's stub_status "accepts": connections accepted since it started (every port).</summary>
    public static async Task<long> AcceptedConnectionsAsync(NetworkNamespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var result = await ns.RunAsync(["curl", "-sS", "--max-time", "10", $"http://127.0.0.1:{StatusPort}/status"], TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        result.EnsureSuccess();

        // "Active connections: 1 \nserver accepts handled requests\n 12 12 34 \n..."
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries);
        int header = Array.FindIndex(lines, l => l.StartsWith("server accepts", StringComparison.Ordinal));
        if (header < 0 || header + 1 >= lines.Length)
        {
            throw new BenchmarkException("cannot read nginx stub_status:\n" + result.StandardOutput);
        }

        return long.Parse(lines[header + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    private static async Task WriteBulkFileAsync(string path)
    {
        var chunk = new byte[1 << 20];
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            for (long offset = 0; offset < BulkFileLength; offset += chunk.Length)
            {
                LabPattern.Fill(offset, chunk);
                await stream.WriteAsync(chunk).ConfigureAwait(false);
            }
        }
    }

    private static string RenderTls(string root, string htdocs, IPAddress address, NginxTls tls) => string.Create(CultureInfo.InvariantCulture, $$"""
            server {
                listen {{address}}:{{tls.Port}} ssl backlog=8192;
                server_name {{tls.ServerName}};
                root {{htdocs}};
                ssl_certificate {{tls.CertificatePath}};
                ssl_certificate_key {{tls.KeyPath}};
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache off;
                ssl_session_tickets off;
            }
            server {
                listen {{address}}:{{NginxTls.ResumptionProbePort}} ssl backlog=8192;
                server_name {{tls.ServerName}};
                root {{htdocs}};
                ssl_certificate {{tls.CertificatePath}};
                ssl_certificate_key {{tls.KeyPath}};
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_session_cache shared:probe:1m;
                ssl_session_tickets on;
                access_log {{root}}/resumption.log reuse;
            }
            server {
                listen 127.0.0.1:{{StatusPort}};
                location = /status { stub_status; }
            }
    """);

    private static string Render(string root, string htdocs, IPAddress address, int port, NginxTls? tls) => string.Create(CultureInfo.InvariantCulture, $$"""
        # Generated by Bellows.LabBenchmarks.
        daemon off;
        master_process on;
        worker_processes 2;
        worker_rlimit_nofile 20000;
        pid {{root}}/nginx.pid;
        error_log {{root}}/error.log warn;
        events {
            worker_connections 10000;
            multi_accept on;
        }
        http {
            access_log off;
            sendfile on;
            tcp_nopush on;
            tcp_nodelay on;
            keepalive_timeout 300s;
            keepalive_requests 1000000;
            default_type application/octet-stream;
            client_body_temp_path {{root}}/body;
            proxy_temp_path {{root}}/proxy;
            fastcgi_temp_path {{root}}/fastcgi;
            uwsgi_temp_path {{root}}/uwsgi;
            scgi_temp_path {{root}}/scgi;
            log_format reuse "$ssl_session_reused";
            server {
                listen {{address}}:{{port}} backlog=8192;
                root {{htdocs}};
            }
        {{(tls is null ? "" : RenderTls(root, htdocs, address, tls))}}
        }

        """);
}
