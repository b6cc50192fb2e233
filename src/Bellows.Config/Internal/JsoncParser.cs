// Bellows: a transparent TCP/UDP/TLS-inspecting proxy.

using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Bellows.Config.Internal;

/// <summary>
/// Reads JSON with comments and trailing commas into a <see cref="ConfigNode"/> tree that remembers where each key
/// and value starts. <see cref="JsonDocument"/> would be shorter but keeps no line numbers.
/// </summary>
internal sealed class JsoncParser
{
    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly LineMap _lines;
    private readonly DiagnosticBag _diagnostics;

    // The key path being read, so that a syntax error can say where it is.
    private string _path = "";

    private JsoncParser(byte[] utf8, DiagnosticBag diagnostics)
    {
        _lines = new LineMap(utf8);
        _diagnostics = diagnostics;
    }

    /// <summary>
    /// Parses <paramref name="utf8"/>. Returns the root object (empty when the text holds nothing but blanks and
    /// comments), or null after reporting a syntax error or a root that is not an object.
    /// </summary>
    public static ObjectNode? Parse(byte[] utf8, DiagnosticBag diagnostics)
    {
        if (IsBlank(utf8))
        {
            return new ObjectNode(new TextPosition(1, 1), []);
        }

        var parser = new JsoncParser(utf8, diagnostics);
        var reader = new Utf8JsonReader(utf8, s_readerOptions);
        try
        {
            Next(ref reader);
            var root = parser.ReadValue(ref reader);

            // One more read: it throws on anything but blanks and comments after the root value.
            reader.Read();
            if (root is ObjectNode rootObject)
            {
                return rootObject;
            }

            diagnostics.Error(root.Position, "", $"the top-level value must be an object, found {root.Description}");
            return null;
        }
        catch (JsonException ex)
        {
            var at = parser._lines.PositionAt(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
            diagnostics.Error(at, parser._path, "invalid JSON: " + WithoutPosition(ex.Message));
            return null;
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        // With isFinalBlock the reader throws on truncated input, so running out of tokens here cannot happen.
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of the text");
        }
    }

    private ConfigNode ReadValue(ref Utf8JsonReader reader)
    {
        var position = _lines.PositionOf(reader.TokenStartIndex);
        return reader.TokenType switch
        {
            JsonTokenType.StartObject => ReadObject(ref reader, position),
            JsonTokenType.StartArray => ReadArray(ref reader, position),
            JsonTokenType.String => new ScalarNode(NodeKind.String, position, reader.GetString()!),
            JsonTokenType.Number => new ScalarNode(NodeKind.Number, position, Encoding.UTF8.GetString(reader.ValueSpan)),
            JsonTokenType.True => new ScalarNode(NodeKind.Boolean, position, "true"),
            JsonTokenType.False => new ScalarNode(NodeKind.Boolean, position, "false"),
            JsonTokenType.Null => new ScalarNode(NodeKind.Null, position, "null"),
            _ => throw new UnreachableException($"a value cannot start with {reader.TokenType}"),
        };
    }

    private ObjectNode ReadObject(ref Utf8JsonReader reader, TextPosition position)
    {
        var parentPath = _path;
        var properties = new List<PropertyNode>();
        var firstSeen = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
        for (Next(ref reader); reader.TokenType != JsonTokenType.EndObject; Next(ref reader))
        {
            var name = reader.GetString()!;
            var namePosition = _lines.PositionOf(reader.TokenStartIndex);
            _path = ConfigPath.Child(parentPath, name);
            Next(ref reader);
            var value = ReadValue(ref reader);
            if (firstSeen.TryGetValue(name, out var first))
            {
                _diagnostics.Error(namePosition, _path, $"duplicate key '{name}'; it was already set on line {first.Line}");
            }
            else
            {
                firstSeen.Add(name, namePosition);
                properties.Add(new PropertyNode(name, namePosition, value));
            }
        }

        _path = parentPath;
        return new ObjectNode(position, properties);
    }

    private ArrayNode ReadArray(ref Utf8JsonReader reader, TextPosition position)
    {
        var parentPath = _path;
        var items = new List<ConfigNode>();
        for (Next(ref reader); reader.TokenType != JsonTokenType.EndArray; Next(ref reader))
        {
            _path = ConfigPath.Index(parentPath, items.Count);
            items.Add(ReadValue(ref reader));
        }

        _path = parentPath;
        return new ArrayNode(position, items);
    }

    // The reader throws "The input does not contain any JSON tokens" for such text; an empty file means defaults.
    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            if (text[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                text = text[1..];
            }
            else if (text.StartsWith("//"u8))
            {
                var end = text.IndexOf((byte)'\n');
                text = end < 0 ? [] : text[(end + 1)..];
            }
            else if (text.StartsWith("/*"u8))
            {
                var end = text[2..].IndexOf("*/"u8);
                if (end < 0)
                {
                    return false;
                }

                text = text[(end + 4)..];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    // The reader's messages end in " LineNumber: 2 | BytePositionInLine: 9."; the diagnostic has its own position.
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
