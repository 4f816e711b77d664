using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cordon.ControlPlane.Tests.Problems.Fuzz;

/// <summary>
/// Mutates a valid JSON document: a value anywhere replaced by a wrong type, null, an extreme number or string;
/// members removed, added, renamed or duplicated; and text-level damage (truncation, stray bytes, lone surrogates,
/// deep nesting). Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class JsonMutator(Random random)
{
    private static readonly string[] Numbers =
        ["0", "-1", "1.5", "-2147483649", "2147483648", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400", "1e-400", "NaN", "0x10", "01"];

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Returns the mutated body and the top-level member a validation error must name (when there is one).</summary>
    public (byte[] Body, string Description, string? Field) Mutate(string seed)
    {
        var root = JsonNode.Parse(seed)!;
        var kind = random.Next(10);
        if (kind < 6)
        {
            var (path, topLevel, parent, key) = PickValue(root);
            var replacement = RandomValueText();
            var text = ReplaceAt(root, parent, key, replacement);
            return (Encoding.UTF8.GetBytes(text), $"{path} := {Shorten(replacement)}", topLevel);
        }

        if (kind == 6)
        {
            var (path, topLevel, parent, key) = PickValue(root);
            if (parent is JsonObject obj && key is string name)
            {
                obj.Remove(name);
                return (Bytes(root), $"remove {path}", null);
            }

            if (parent is JsonArray array && key is int index)
            {
                array.RemoveAt(index);
                return (Bytes(root), $"remove {path}", topLevel);
            }

            return (Bytes(root), "unchanged", null);
        }

        if (kind == 7)
        {
            var target = PickObject(root);
            var name = Pick(["nope", "", "Language", "LANGUAGE", "__proto__", "constructor", new string('k', random.Next(1, 100_000)), "a\u0000b", "é", "$ref"]);
            var text = target.ToJsonString();
            var injected = text.Length > 2
                ? "{" + JsonSerializer.Serialize(name) + ":" + RandomValueText() + "," + text[1..]
                : "{" + JsonSerializer.Serialize(name) + ":" + RandomValueText() + "}";
            return (Encoding.UTF8.GetBytes(Splice(root, target, injected)), $"add member {Shorten(name)}", null);
        }

        if (kind == 8 && root is JsonObject top && top.Count > 0)
        {
            // Duplicate a member at the top (or inside env): the last would silently win without the check.
            var (name, value) = Pick(top.Select(p => (p.Key, p.Value?.ToJsonString() ?? "null")).ToList());
            var text = root.ToJsonString();
            return (Encoding.UTF8.GetBytes("{" + JsonSerializer.Serialize(name) + ":" + value + "," + text[1..]), $"duplicate {name}", name);
        }

        return TextDamage(root.ToJsonString());
    }

    public string RandomValueText() => random.Next(14) switch
    {
        0 => "null",
        1 => Pick(Numbers),
        2 => random.Next(2) == 0 ? "true" : "false",
        3 => "[]",
        4 => "{}",
        5 => "\"\"",
        6 => JsonSerializer.Serialize(new string(Pick<char>("ax=/\u00e9".ToCharArray()), random.Next(1, 300_000))),
        7 => "\"a\\u0000b\"",
        8 => Pick(["\"\\ud800\"", "\"\\udfff\"", "\"x\\ud83d\"", "\"\\ud800\\u0041\""]),
        9 => new string('[', 5_000) + new string(']', 5_000),
        10 => "[null,1,\"a\",{}]",
        11 => "{\"A\":null,\"B\":1,\"C\":[]}",
        12 => JsonSerializer.Serialize(RandomText(random.Next(0, 40))),
        _ => Pick(["\"../../etc/passwd\"", "\"/abs\"", "\"a\\nb\"", "\"*\"", "\"**/*\"", "\" \"", "\"python\"", "\"999999999999999999999\""]),
    };

    public string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(6) switch
            {
                0 => (char)random.Next(0, 32),
                1 => (char)random.Next(0x80, 0x800),
                2 => Pick(['/', '.', '%', '\\', '?', '#', '=', '&', ' ', '\'', '"']),
                _ => (char)random.Next('a', 'z' + 1),
            };
        }

        return new string(chars);
    }

    private (byte[] Body, string Description, string? Field) TextDamage(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (random.Next(6))
        {
            case 0:
                return (bytes[..random.Next(bytes.Length)], "truncated", null);
            case 1:
                var flipped = (byte[])bytes.Clone();
                flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                return (flipped, "byte flipped", null);
            case 2:
                return ([.. bytes[..^1], .. Encoding.UTF8.GetBytes(",\"x\":" + new string('[', 100_000))], "deep nesting", null);
            case 3:
                return ([0xff, 0xfe, .. bytes], "invalid UTF-8 prefix", null);
            case 4:
                return (Encoding.UTF8.GetBytes(Pick(["", " ", "null", "[]", "1", "\"s\"", "{", "}", "{\"a\"}", "{,}", "[{}]", "true"])), "not an object", null);
            default:
                return ([.. bytes, .. Encoding.UTF8.GetBytes(" trailing")], "trailing garbage", null);
        }
    }

    private (string Path, string? TopLevel, JsonNode? Parent, object? Key) PickValue(JsonNode root)
    {
        var all = new List<(string, string?, JsonNode?, object?)>();
        Walk(root, "$", null, all);
        return all.Count == 0 ? ("$", null, null, null) : Pick(all);
    }

    private static void Walk(JsonNode node, string path, string? topLevel, List<(string, string?, JsonNode?, object?)> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var childPath = $"{path}.{key}";
                    into.Add((childPath, topLevel ?? key, obj, key));
                    if (child is not null)
                    {
                        Walk(child, childPath, topLevel ?? key, into);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    into.Add(($"{path}[{i}]", topLevel, array, i));
                    if (array[i] is { } child)
                    {
                        Walk(child, $"{path}[{i}]", topLevel, into);
                    }
                }

                break;
            default:
                break;
        }
    }

    private JsonNode PickObject(JsonNode root)
    {
        var objects = new List<JsonNode> { root };
        Collect(root, objects);
        return Pick(objects.Where(o => o is JsonObject).ToList());

        static void Collect(JsonNode node, List<JsonNode> into)
        {
            foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a.AsEnumerable(), _ => [] })
            {
                if (child is JsonObject or JsonArray)
                {
                    into.Add(child);
                    Collect(child, into);
                }
            }
        }
    }

    /// <summary>Puts raw JSON text at one place: the raw text may be invalid for a JsonNode (lone surrogates, depth).</summary>
    private static string ReplaceAt(JsonNode root, JsonNode? parent, object? key, string replacement)
    {
        if (parent is null)
        {
            return replacement;
        }

        const string Marker = "\"__fuzz_marker__\"";
        var original = key is string name ? parent[name] : parent[(int)key!];
        var clone = original?.DeepClone();
        if (key is string member)
        {
            parent[member] = "__fuzz_marker__";
        }
        else
        {
            parent[(int)key!] = "__fuzz_marker__";
        }

        var text = root.ToJsonString().Replace(Marker, replacement, StringComparison.Ordinal);
        if (key is string restore)
        {
            parent[restore] = clone;
        }
        else
        {
            parent[(int)key!] = clone;
        }

        return text;
    }

    private static string Splice(JsonNode root, JsonNode target, string replacementText)
    {
        if (target == root)
        {
            return replacementText;
        }

        var parent = target.Parent!;
        object key = parent is JsonObject obj ? obj.First(p => p.Value == target).Key : ((JsonArray)parent).IndexOf(target);
        return ReplaceAt(root, parent, key, replacementText);
    }

    private static byte[] Bytes(JsonNode root) => Encoding.UTF8.GetBytes(root.ToJsonString());

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + $"…({text.Length})" : text;
}
