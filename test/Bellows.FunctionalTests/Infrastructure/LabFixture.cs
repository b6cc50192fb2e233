// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab;
using Bellows.Lab.Network;
using Bellows.Lab.Processes;
using Bellows.Transport.Interop;

namespace Bellows.FunctionalTests.Infrastructure;

/// <summary>
/// A lab (client, gateway, server namespaces, built-in servers, TPROXY rules) with Bellows running, shared by
/// the tests of one class. Needs root: without it the fixture fails loudly (it never skips).
/// </summary>
public abstract class LabFixture : IAsyncLifetime
{
    private LabEnvironment? _lab;

    public LabEnvironment Lab => _lab ?? throw new InvalidOperationException("lab not started");

    public BellowsProcess Bellows => Lab.Bellows ?? throw new InvalidOperationException("bellows not running");

    protected abstract LabOptions Options { get; }

    /// <summary>Full configuration text, when the generated one is not what the tests need.</summary>
    protected virtual string? ConfigText => null;

    /// <summary>False for labs that test the lab itself (the servers, the origin) with no Bellows in the gateway.</summary>
    protected virtual bool StartsBellows => true;

    public async Task InitializeAsync()
    {
        if (!LabNetwork.IsRoot())
        {
            throw new InvalidOperationException("functional tests build network namespaces and need root (run scripts/test.sh as root)");
        }

        // Scale tests hold thousands of sockets in this process (client side and in-process servers).
        FileDescriptorLimit.RaiseToHardLimit();
        _lab = await LabEnvironment.CreateAsync(Options);
        if (StartsBellows)
        {
            try
            {
                await _lab.StartBellowsAsync(ConfigText);
            }
            catch
            {
                // Take the lab down now: its dnsmasq and OCSP responder are child processes of this test process.
                await _lab.DisposeAsync();
                _lab = null;
                throw;
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    /// <summary>Session and flow log lines (written when they close) matching all <paramref name="fragments"/>.</summary>
    public IReadOnlyList<string> SessionLines(params string[] fragments) =>
        Bellows.Output.Where(l => l.Contains(" closed: client=", StringComparison.Ordinal)
            && fragments.All(f => l.Contains(f, StringComparison.Ordinal))).ToList();

    public async Task<string> WaitForSessionLineAsync(params string[] fragments)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var lines = SessionLines(fragments);
            if (lines.Count > 0)
            {
                return lines[^1];
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no session line with [{string.Join(", ", fragments)}]; log:\n{string.Join('\n', Bellows.Output.TakeLast(30))}");
    }

    /// <summary>Waits until every session has closed and every relay buffer is back in the pool.</summary>
    public async Task AssertQuiescentAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            // UDP flows live until their idle timeout: quiescence is about TCP sessions and buffers.
            var status = await Bellows.GetStatusAsync();
            var tcpWorkers = status.Listeners.Where(l => l.Protocol == "tcp").SelectMany(l => l.Workers).ToList();
            bool workersIdle = tcpWorkers.All(w => w.LiveSessions == 0 && w.QueueDepth == 0);
            if (status.Pool.Outstanding == 0 && workersIdle)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not quiescent: live tcp={tcpWorkers.Sum(w => w.LiveSessions)} pool outstanding={status.Pool.Outstanding}");
            }

            await Task.Delay(50);
        }
    }
}

public sealed class AutoNatLab : LabFixture
{
    protected override LabOptions Options => new() { Prefix = "ftauto", Nat = Config.NatMode.Auto, Acceptors = 2, Workers = 3 };
}

public sealed class NoNatLab : LabFixture
{
    protected override LabOptions Options => new() { Prefix = "ftnone", Nat = Config.NatMode.None, Acceptors = 1, Workers = 2, AcceptorMode = Config.AcceptorMode.Shared };
}
