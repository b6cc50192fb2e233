// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Fact]
    public void Parse_FiveDifferentErrors_ReportsAllFiveInFileOrder()
    {
        const string text = """
            {
              "listeners": [
                { "name": "a", "mode": "tproxy", "port": 70000 },
                { "name": "b", "mode": "bogus", "port": 1 },
              ],
              "relay": {
                "conect_timeout": 5,
                "buffer_size": 5000,
              },
              "management": { "socket": "run/bellows.sock" },
            }
            """;

        var result = ConfigText.Parse(text);

        Assert.Null(result.Config);
        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "test.jsonc:3:46: listeners[0].port: 70000 is out of range; expected 1..65535",
                "test.jsonc:4:28: listeners[1].mode: invalid value 'bogus'; expected one of tproxy, redirect",
                "test.jsonc:7:5: relay.conect_timeout: unknown key 'conect_timeout'; did you mean 'connect_timeout'?",
                "test.jsonc:8:20: relay.buffer_size: 5000 is not a power of two (such as 16384, 65536, 131072)",
                "test.jsonc:10:29: management.socket: 'run/bellows.sock' is not an absolute path; use a path that starts with '/', or \"\" to disable",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_ErrorsAcrossListenersAndSections_AreAllReported()
    {
        // Cross-listener rules still run when a listener has its own errors.
        const string text = """
            {
              "listeners": [
                { "name": "a", "mode": "tproxy", "port": 1, "backlog": 0 },
                { "name": "a", "mode": "tproxy", "port": 1, "workers": "4" },
                { "mode": "redirect" }
              ],
              "limits": { "fd_reserve": 1 },
              "logging": { "level": "loud", "format": "xml" },
              "shutdown": { "drain": "2s" }
            }
            """;

        var result = ConfigText.Parse(text);

        Assert.Equal(
            [
                "listeners[0].backlog",
                "listeners[1].name",
                "listeners[1].port",
                "listeners[1].workers",
                "listeners[2].name",
                "listeners[2].port",
                "limits.fd_reserve",
                "logging.level",
                "logging.format",
                "shutdown.drain",
            ],
            result.Errors.Select(e => e.Key));
    }
}
