// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Bellows.FunctionalTests.Infrastructure;
using Bellows.Lab.Network;
using Bellows.Lab.Tls;
using Bellows.Tls.ClientHello;

namespace Bellows.FunctionalTests.Tls;

/// <summary>
/// Damaged real ClientHellos against the running proxy, each on its own connection to the TLS port: every
/// session ends, each is logged with the outcome the hello parser predicts for its bytes, the hello-error counter
/// counts exactly the rejected ones, and afterwards Bellows is idle and still serves a normal client.
/// </summary>
public partial class TlsInspectionTests
{
    private const int MutationSeed = 20261126;
    private const int MutationCases = 300;
    private const int MutationParallelism = 8;

    /// <summary>Longer than the slowest legitimate end: the origin's or Bellows' 10 s handshake timeout.</summary>
    private static readonly TimeSpan s_mutationPatience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MutatedClientHellos_ThreeHundred_EachSessionEndsAsPredictedAndProxyStaysWell()
    {
        // Everything random is drawn here, in order, before any connection: one seed gives the same cases.
        var random = new Random(MutationSeed);
        var corpus = ClientHelloCorpus.Load(LabOriginNames.Www, random);
        var cases = Enumerable.Range(0, MutationCases).Select(i =>
        {
            var sample = corpus[random.Next(corpus.Count)];
            byte[] bytes = ClientHelloCorpus.Mutate(sample.Bytes, random, out string steps);
            bool holdOpen = random.Next(5) == 0;
            return new MutatedHello(i, sample.Name, steps, bytes, holdOpen, ExpectedOutcomes(bytes, holdOpen));
        }).ToList();

        await fixture.AssertQuiescentAsync();
        long helloErrorsBefore = await TlsStatus.CounterAsync(fixture, "hello_errors");
        int logBefore = fixture.Bellows.Output.Count;
        var ends = new HelloEnd[cases.Count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = MutationParallelism },
            async (c, _) => ends[c.Index] = await SendMutatedHelloAsync(c));

        var stuck = cases.Where(c => ends[c.Index].How == "open").ToList();
        Assert.True(stuck.Count == 0, $"{stuck.Count} sessions still open after {s_mutationPatience.TotalSeconds} s:\n{string.Join('\n', stuck.Take(5).Select(Describe))}");
        if (fixture.Bellows.HasExited)
        {
            Assert.Fail($"bellows exited ({fixture.Bellows.ExitCode}) during the corpus:\n{string.Join('\n', fixture.Bellows.Output.TakeLast(30))}");
        }

        // Each session's log line, found by the client port (ports that came round twice are checked as a group).
        var lines = await WaitForSessionLinesAsync(logBefore, ends.CountBy(e => e.Port).ToDictionary());
        foreach (var group in cases.GroupBy(c => ends[c.Index].Port))
        {
            var logged = lines[group.Key];
            var first = group.First();
            Assert.True(logged.Count == group.Count(), $"{logged.Count} session lines for {group.Count()} connections from port {group.Key}; {Describe(first)}:\n{string.Join('\n', logged)}");
            foreach (string line in logged)
            {
                string outcome = Field(line, "tls");
                Assert.True(group.Any(c => c.Expected.Contains(outcome)),
                    $"tls={outcome}, expected {string.Join(" or ", first.Expected)}; {Describe(first)}:\n{line}");

                // proxy-error: an exception the session did not expect (see TcpSession).
                Assert.True(Field(line, "reason") != "proxy-error", $"an unexpected exception ended the session; {Describe(first)}:\n{line}");
            }
        }

        int rejected = cases.Count(c => c.Expected is ["hello-error"]);
        int complete = cases.Count(c => c.Expected.Contains("blocked"));
        int notTls = cases.Count(c => c.Expected is ["not-tls"]);
        string summary = $"seed {MutationSeed}: {rejected} rejected hellos, {complete} complete, {notTls} not TLS, {cases.Count(c => c.HoldOpen)} held open; {watch.Elapsed.TotalSeconds:F1} s";
        Assert.True(rejected >= MutationCases / 4 && complete >= 10, $"the corpus does not exercise enough outcomes: {summary}");
        long helloErrorsAfter = await TlsStatus.CounterAsync(fixture, "hello_errors");
        Assert.True(helloErrorsAfter - helloErrorsBefore == rejected, $"hello_errors went from {helloErrorsBefore} to {helloErrorsAfter}; {summary}");

        await fixture.AssertQuiescentAsync();
        await TlsVerdicts.AssertAllowedAsync(fixture, LabOriginNames.Www, BellowsCa);
        await fixture.AssertQuiescentAsync();
    }

    /// <summary>
    /// What Bellows must log (tls=...) for these bytes on a tls: always listener. A complete hello goes upstream;
    /// the client never finishes its handshake, so it ends blocked (a name the origin has no certificate for) or
    /// in a handshake error.
    /// </summary>
    private static string[] ExpectedOutcomes(byte[] bytes, bool holdOpen)
    {
        if (bytes.Length == 0)
        {
            // Closed without a byte: nothing to inspect, relayed as not TLS; held open: no hello in time.
            return holdOpen ? ["hello-error"] : ["not-tls"];
        }

        return ClientHelloParser.TryParse(bytes, out _) switch
        {
            ClientHelloParseStatus.Complete => ["blocked", "handshake-error"],
            ClientHelloParseStatus.NotTls => ["not-tls"],

            // Invalid, too large, or incomplete (truncated by our FIN, or cut at the hello timeout).
            _ => ["hello-error"],
        };
    }

    /// <summary>Sends the bytes, half-closes unless the case holds the connection open, and reads until Bellows closes (bounded).</summary>
    private async Task<HelloEnd> SendMutatedHelloAsync(MutatedHello hello)
    {
        using var socket = await ClientSockets.ConnectAsync(Client, Https);
        int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var watch = Stopwatch.StartNew();
        try
        {
            if (hello.Bytes.Length > 0)
            {
                await socket.SendAsync(hello.Bytes, SocketFlags.None);
            }

            if (!hello.HoldOpen)
            {
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (SocketException)
        {
            return new HelloEnd(port, "reset", watch.Elapsed);
        }

        using var timeout = new CancellationTokenSource(s_mutationPatience);
        var buffer = new byte[16384];
        try
        {
            for (int reads = 0; reads < 1000; reads++)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                {
                    return new HelloEnd(port, "fin", watch.Elapsed);
                }
            }

            return new HelloEnd(port, "open", watch.Elapsed);
        }
        catch (SocketException)
        {
            return new HelloEnd(port, "reset", watch.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return new HelloEnd(port, "open", watch.Elapsed);
        }
    }

    /// <summary>
    /// The session lines, logged after the first <paramref name="skip"/> output lines, from each client port to the
    /// TLS origin, once every port has as many as it had connections (bounded wait).
    /// </summary>
    private async Task<Dictionary<int, List<string>>> WaitForSessionLinesAsync(int skip, Dictionary<int, int> connectionsByPort)
    {
        string destination = $" dst={TlsClients.ServerV4}:443 ";
        string client = $" client={LabTopology.ClientV4}:";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var byPort = fixture.Bellows.Output.Skip(skip)
                .Where(l => l.Contains(" closed:", StringComparison.Ordinal) && l.Contains(destination, StringComparison.Ordinal) && l.Contains(client, StringComparison.Ordinal))
                .GroupBy(l => int.Parse(ClientPort().Match(l).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .ToDictionary(g => g.Key, g => g.ToList());
            var result = connectionsByPort.Keys.ToDictionary(p => p, p => byPort.GetValueOrDefault(p) ?? []);
            if (result.All(p => p.Value.Count >= connectionsByPort[p.Key]) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(100);
        }
    }

    private static string Field(string line, string name)
    {
        var match = Regex.Match(line, $" {name}=(\\S+)");
        return match.Success ? match.Groups[1].Value : "(none)";
    }

    private static string Describe(MutatedHello hello) =>
        $"seed {MutationSeed} case {hello.Index}: {hello.Source} [{hello.Steps}], {(hello.HoldOpen ? "held open" : "half-closed after sending")}, "
        + $"{hello.Bytes.Length} bytes {Convert.ToHexString(hello.Bytes)}";

    [GeneratedRegex(@" client=[0-9.]+:([0-9]+) ")]
    private static partial Regex ClientPort();

    private sealed record MutatedHello(int Index, string Source, string Steps, byte[] Bytes, bool HoldOpen, string[] Expected);

    private readonly record struct HelloEnd(int Port, string How, TimeSpan Took);
}
