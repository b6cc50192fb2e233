// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public class ConfigDiagnosticTests
{
    [Fact]
    public void ToString_Diagnostic_IsCompilerStyle()
    {
        var diagnostic = new ConfigDiagnostic("bellows.jsonc", 12, 5, "listeners[1].port", "70000 is out of range; expected 1..65535");

        Assert.Equal("bellows.jsonc:12:5: listeners[1].port: 70000 is out of range; expected 1..65535", diagnostic.ToString());
    }
}
