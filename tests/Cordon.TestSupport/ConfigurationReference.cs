using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Cordon.TestSupport;

/// <summary>
/// The configuration reference of <c>docs/CONFIGURATION.md</c>, kept true by tests: every bindable property of an
/// options class, as its configuration key with its default (read from a new instance), must be a row of the table
/// between <c>&lt;!-- config:NAME --&gt;</c> and <c>&lt;!-- /config:NAME --&gt;</c>, and no row may name another key.
/// Descriptions (the third column) are the writer's; <c>CORDON_UPDATE_CONFIG=1</c> rewrites keys and defaults and
/// keeps them.
/// </summary>
public static class ConfigurationReference
{
    public const string UpdateVariable = "CORDON_UPDATE_CONFIG";

    /// <summary>The rows of <paramref name="optionsType"/> bound at <paramref name="section"/>; a list of objects as <c>section:Name:0:…</c>.</summary>
    public static IReadOnlyList<(string Key, string Default)> Rows(string section, Type optionsType, params string[] skip)
    {
        var rows = new List<(string, string)>();
        AddRows(rows, section, optionsType, Activator.CreateInstance(optionsType), skip);
        return rows;
    }

    /// <summary>Null when the table is the rows; else what differs. With <see cref="UpdateVariable"/>=1, rewrites the table first.</summary>
    public static string? Check(string markdownPath, string table, IReadOnlyList<(string Key, string Default)> rows)
    {
        var text = File.ReadAllText(markdownPath);
        var (start, end) = Bounds(text, table, markdownPath);
        var existing = Parse(text[start..end]);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var rendered = new StringBuilder("\n| key | default | what it does |\n| --- | --- | --- |\n");
            foreach (var (key, value) in rows)
            {
                rendered.Append(CultureInfo.InvariantCulture, $"| `{key}` | {value} | {(existing.TryGetValue(key, out var row) ? row.Description : "")} |\n");
            }

            text = text[..start] + rendered + text[end..];
            File.WriteAllText(markdownPath, text);
            existing = Parse(rendered.ToString());
        }

        var problems = new List<string>();
        foreach (var (key, value) in rows)
        {
            if (!existing.TryGetValue(key, out var row))
            {
                problems.Add($"missing: `{key}` (default {value})");
            }
            else if (row.Default != value)
            {
                problems.Add($"`{key}`: the table says {row.Default}, the code's default is {value}");
            }
        }

        problems.AddRange(existing.Keys.Except(rows.Select(r => r.Key)).Select(key => $"no such setting: `{key}`"));
        return problems.Count == 0 ? null
            : $"{markdownPath} ({table}) is not the configuration the code reads; {UpdateVariable}=1 rewrites it:\n  " + string.Join("\n  ", problems);
    }

    private static void AddRows(List<(string, string)> rows, string section, Type type, object? instance, string[] skip)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0 || skip.Contains(property.Name))
            {
                continue;
            }

            var key = $"{section}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(propertyType))
            {
                rows.Add((key, Format(value)));
            }
            else if (ElementType(propertyType) is { } element)
            {
                if (IsScalar(element))
                {
                    rows.Add((key, Format(value)));
                }
                else
                {
                    AddRows(rows, key + ":N", element, Activator.CreateInstance(element), skip);
                }
            }
            else
            {
                AddRows(rows, key, propertyType, value ?? Activator.CreateInstance(propertyType), skip);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri);

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element] ? element
        : null;

    private static string Format(object? value) => value switch
    {
        null => "(unset)",
        string { Length: 0 } => "`\"\"`",
        string s => $"`{s}`",
        bool b => b ? "`true`" : "`false`",
        IFormattable f => $"`{f.ToString(null, CultureInfo.InvariantCulture)}`",
        IEnumerable list => list.Cast<object?>().ToList() is { Count: 0 } ? "`[]`" : "`[" + string.Join(", ", list.Cast<object?>()) + "]`",
        _ => $"`{value}`",
    };

    private static (int Start, int End) Bounds(string text, string table, string path)
    {
        var open = $"<!-- config:{table} -->";
        var close = $"<!-- /config:{table} -->";
        var start = text.IndexOf(open, StringComparison.Ordinal);
        var end = text.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"{path} has no table between {open} and {close}.");
        }

        return (start + open.Length, end);
    }

    private static Dictionary<string, (string Default, string Description)> Parse(string table)
    {
        var rows = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var line in table.Split('\n'))
        {
            var cells = line.Trim().Trim('|').Split(" | ");
            if (cells.Length >= 2 && cells[0].Trim() is ['`', .. var key, '`'])
            {
                rows[key] = (cells[1].Trim(), cells.Length > 2 ? string.Join(" | ", cells[2..]).Trim() : "");
            }
        }

        return rows;
    }
}
