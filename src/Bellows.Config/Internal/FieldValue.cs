// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Globalization;

namespace Bellows.Config.Internal;

/// <summary>
/// One value being bound, with its key path. Each <c>TryX</c> either produces the value or reports an error at the
/// value's position and returns false, so that field tables read as <c>v.TryInt(1, 9, out var n) ? c with {…} : c</c>.
/// </summary>
internal readonly struct FieldValue(ConfigNode node, string path, DiagnosticBag diagnostics)
{
    public ConfigNode Node => node;

    public string Path => path;

    public DiagnosticBag Diagnostics => diagnostics;

    public bool IsNull => node.Kind == NodeKind.Null;

    /// <summary>Reports <paramref name="message"/> against this value; always returns false.</summary>
    public bool Fail(string message)
    {
        diagnostics.Error(node.Position, path, message);
        return false;
    }

    public bool Require(bool condition, string message) => condition || Fail(message);

    /// <summary>A nested value: an array element or a property of an object value.</summary>
    public FieldValue With(ConfigNode child, string childPath) => new(child, childPath, diagnostics);

    public bool TryBool(out bool value)
    {
        value = node is ScalarNode { Kind: NodeKind.Boolean, Text: "true" };
        return node.Kind == NodeKind.Boolean || WrongType("true or false");
    }

    public bool TryString(out string value)
    {
        value = node is ScalarNode { Kind: NodeKind.String } scalar ? scalar.Text : "";
        return node.Kind == NodeKind.String || WrongType("a string");
    }

    public bool TryInt(int min, int max, out int value)
    {
        value = 0;
        if (!TryNumber("an integer", out var number, out var text))
        {
            return false;
        }

        if (number != Math.Floor(number))
        {
            return Fail($"expected an integer, found {text}");
        }

        if (number < min || number > max)
        {
            return Fail($"{text} is out of range; expected {min}..{max}");
        }

        value = (int)number;
        return true;
    }

    /// <summary>A duration written as a number of seconds, fractions allowed.</summary>
    public bool TrySeconds(double min, bool minExclusive, double max, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (!TryNumber("a number of seconds", out var seconds, out var text))
        {
            return false;
        }

        var tooLow = minExclusive ? seconds <= min : seconds < min;
        if (tooLow || seconds > max)
        {
            var low = minExclusive ? "more than" : "at least";
            return Fail($"{text} is out of range; expected {low} {min} and at most {max} seconds");
        }

        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    public bool TryChoice<T>(ChoiceTable<T> choices, out T value)
    {
        value = default!;
        if (node is not ScalarNode { Kind: NodeKind.String } scalar)
        {
            return WrongType($"one of {choices.Names}");
        }

        return choices.TryGet(scalar.Text, out value)
            || Fail($"invalid value '{scalar.Text}'; expected one of {choices.Names}");
    }

    public bool TryArray(out ArrayNode array)
    {
        array = node as ArrayNode ?? new ArrayNode(node.Position, []);
        return node.Kind == NodeKind.Array || WrongType("an array");
    }

    public bool TryObject(out ObjectNode obj)
    {
        obj = node as ObjectNode ?? new ObjectNode(node.Position, []);
        return node.Kind == NodeKind.Object || WrongType("an object");
    }

    /// <summary>Binds an object value through <paramref name="table"/>, starting from <paramref name="seed"/>.</summary>
    public bool TrySection<T>(T seed, FieldTable<T> table, out T value)
    {
        value = seed;
        if (!TryObject(out var obj))
        {
            return false;
        }

        value = ObjectBinder.Bind(obj, path, seed, table, diagnostics);
        return true;
    }

    private bool TryNumber(string expected, out double number, out string text)
    {
        number = 0;
        text = node is ScalarNode scalar ? scalar.Text : "";
        if (node.Kind != NodeKind.Number)
        {
            return WrongType(expected);
        }

        // JSON number syntax is a subset of Float; a huge exponent parses as infinity and fails the range check.
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            || WrongType(expected);
    }

    private bool WrongType(string expected) => Fail($"expected {expected}, found {node.Description}");
}
