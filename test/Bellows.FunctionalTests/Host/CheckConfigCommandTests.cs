// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.
using Bellows.Lab.Processes;

namespace Bellows.FunctionalTests.Host;

/// <summary>`bellows check-config` as an operator runs it.</summary>
public class CheckConfigCommandTests
{
    private static Task<CommandResult> BellowsAsync(params string[] args) =>
        CommandRunner.RunAsync("dotnet", BellowsProcess.Command().Skip(1).Concat(args), TimeSpan.FromSeconds(30));

    [Fact]
    public async Task CheckConfig_InvalidFile_ListsEveryErrorWithLineAndKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bellows-bad-{Guid.NewGuid():N}.jsonc");
        await File.WriteAllTextAsync(path, """
            {
              // two mistakes on purpose
              "relay": { "connect_timeout": -1 },
              "listeners": [ { "name": "tcp", "mode": "tproxy", "port": 70000 } ]
            }
            """);
        try
        {
            var result = await BellowsAsync("check-config", path);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{Path.GetFileName(path)}:3:", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("relay.connect_timeout", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(":4:", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("listeners[0].port", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("2 errors", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CheckConfig_ExampleFile_IsValid()
    {
        string example = Path.Combine(AppContext.BaseDirectory, "bellows.example.jsonc");
        var result = await BellowsAsync("check-config", example);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nft_PrintsRulesetForTheConfiguredPorts()
    {
        var result = await BellowsAsync("nft", "--ports", "80,8080", "--interface", "eth1");
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("tproxy to :50080", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("tcp dport { 80, 8080 }", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ip -4 rule add fwmark 1 lookup 100", result.StandardOutput, StringComparison.Ordinal);
    }
}
