// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

namespace Bellows.Config.Tests;

public partial class ConfigLoaderTests
{
    [Fact]
    public void Parse_MissingComma_ReportsLineColumnAndKey()
    {
        const string text = "{\n  \"relay\": {\n    \"nat\": \"auto\"\n    \"no_delay\": true\n  }\n}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, 5, "relay.nat"), (error.Line, error.Column, error.Key));
        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadLiteral_ReportsItsLine()
    {
        const string text = "{\n  \"logging\": {\n    \"session_log\": tru\n  }\n}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((3, "logging.session_log"), (error.Line, error.Key));
    }

    [Fact]
    public void Parse_UnclosedObject_ReportsAnError()
    {
        var error = ConfigText.SingleError("{\n  \"relay\": {}\n");

        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2);
    }

    [Fact]
    public void Parse_TextAfterTheDocument_ReportsItsPosition()
    {
        var error = ConfigText.SingleError("{}\n\n  x");

        Assert.Equal((3, 3, "$"), (error.Line, error.Column, error.Key));
    }

    [Fact]
    public void Parse_UnterminatedComment_ReportsAnError()
    {
        var error = ConfigText.SingleError("{} /* never closed");

        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntaxErrorInListener_NamesTheElement()
    {
        const string text = "{\n  \"listeners\": [\n    { \"name\": \"a\" },\n    { \"name\": }\n  ]\n}";

        var error = ConfigText.SingleError(text);

        Assert.Equal((4, "listeners[1].name"), (error.Line, error.Key));
    }

    [Fact]
    public void Parse_SyntaxErrorAfterSemanticErrors_ReportsOnlyTheSyntaxError()
    {
        // Binding needs the whole tree, so a file that does not parse gets no semantic checks.
        var error = ConfigText.SingleError("{\n  \"relay\": { \"buffer_size\": 3 },\n  \"x\": \n}");

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Parse_NestingTooDeep_ReportsAnErrorInsteadOfRecursingOn()
    {
        var text = "{ \"version\": " + new string('[', 1000) + new string(']', 1000) + " }";

        var error = ConfigText.SingleError(text);

        Assert.StartsWith("invalid JSON: ", error.Message, StringComparison.Ordinal);
    }
}
