using System.Globalization;
using System.Text;

namespace Cordon.TestSupport.Prometheus;

/// <summary>
/// A strict parser of the Prometheus text exposition format (0.0.4): metric and label names by the format's grammar,
/// quoted label values with their three escapes, float values (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>) and an optional
/// integer timestamp; one <c># TYPE</c> per family, before its samples, and a family's samples together; no series
/// twice. A histogram must have <c>_bucket</c> series with <c>le</c>, cumulative, ending at <c>+Inf</c> equal to its
/// <c>_count</c>, and a <c>_sum</c>. Anything else throws <see cref="FormatException"/> naming the line.
/// </summary>
public static class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var families = new Dictionary<string, (string Type, string? Help, List<MetricSample> Samples)>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("the exposition does not end with a newline");
        }

        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var at = $"line {i + 1} '{line}'";
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "TYPE")
                {
                    var name = MetricName(parts[2], at);
                    var type = parts.Length == 4 ? parts[3] : throw new FormatException($"{at}: TYPE without a type");
                    if (!Types.Contains(type))
                    {
                        throw new FormatException($"{at}: unknown type '{type}'");
                    }

                    if (families.ContainsKey(name))
                    {
                        throw new FormatException($"{at}: a second TYPE for {name}, or its TYPE after its samples");
                    }

                    families[name] = (type, helps.GetValueOrDefault(name), []);
                    Close(current, name, closed);
                    current = name;
                }
                else if (parts.Length >= 3 && parts[1] == "HELP")
                {
                    var name = MetricName(parts[2], at);
                    if (!helps.TryAdd(name, parts.Length == 4 ? Unescape(parts[3], at) : ""))
                    {
                        throw new FormatException($"{at}: a second HELP for {name}");
                    }
                }

                continue; // any other comment
            }

            var sample = Sample(line, at);
            var family = FamilyOf(sample.Name, families);
            if (family is null)
            {
                family = sample.Name;
                families[family] = ("untyped", helps.GetValueOrDefault(family), []);
            }

            if (family != current)
            {
                if (closed.Contains(family))
                {
                    throw new FormatException($"{at}: the samples of {family} are not together");
                }

                Close(current, family, closed);
                current = family;
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!series.Add(key))
            {
                throw new FormatException($"{at}: the series {key} appears twice");
            }

            families[family].Samples.Add(sample);
        }

        var result = families.ToDictionary(f => f.Key, f => new MetricFamily(f.Key, f.Value.Type, f.Value.Help ?? helps.GetValueOrDefault(f.Key), f.Value.Samples), StringComparer.Ordinal);
        foreach (var histogram in result.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(histogram);
        }

        return new PrometheusScrape(result);
    }

    private static void Close(string? current, string next, HashSet<string> closed)
    {
        if (current is not null && current != next)
        {
            closed.Add(current);
        }
    }

    /// <summary>The family a sample belongs to: its own name, or a histogram's or summary's with the suffix taken off.</summary>
    private static string? FamilyOf(string name, Dictionary<string, (string Type, string? Help, List<MetricSample> Samples)> families)
    {
        if (families.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(name[..^suffix.Length], out var family)
                && (family.Type == "histogram" || (family.Type == "summary" && suffix != "_bucket")))
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static void CheckHistogram(MetricFamily histogram)
    {
        var name = histogram.Name;
        var groups = histogram.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        foreach (var group in groups)
        {
            var buckets = group.Where(s => s.Name == name + "_bucket").ToList();
            var count = group.SingleOrDefault(s => s.Name == name + "_count") ?? throw new FormatException($"histogram {name}{{{group.Key}}} has no _count");
            _ = group.SingleOrDefault(s => s.Name == name + "_sum") ?? throw new FormatException($"histogram {name}{{{group.Key}}} has no _sum");
            if (buckets.Count == 0 || buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"histogram {name}{{{group.Key}}} has no buckets, or a bucket without le");
            }

            var ordered = buckets.Select(b => (Le: Float(b.Labels["le"], $"le of {name}"), b.Value)).ToList();
            for (var j = 1; j < ordered.Count; j++)
            {
                if (ordered[j].Le <= ordered[j - 1].Le || ordered[j].Value < ordered[j - 1].Value)
                {
                    throw new FormatException($"histogram {name}{{{group.Key}}}: buckets not in increasing le order or not cumulative");
                }
            }

            if (!double.IsPositiveInfinity(ordered[^1].Le) || ordered[^1].Value != count.Value)
            {
                throw new FormatException($"histogram {name}{{{group.Key}}}: the last bucket is not +Inf or differs from _count");
            }
        }
    }

    private static MetricSample Sample(string line, string at)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = MetricName(line[..i], at);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (true)
            {
                if (i < line.Length && line[i] == '}')
                {
                    i++;
                    break;
                }

                var start = i;
                while (i < line.Length && line[i] != '=')
                {
                    i++;
                }

                var label = LabelName(line[start..i], at);
                if (i + 1 >= line.Length || line[i + 1] != '"')
                {
                    throw new FormatException($"{at}: label {label} has no quoted value");
                }

                i += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException($"{at}: unterminated label value");
                    }

                    if (line[i] == '"')
                    {
                        i++;
                        break;
                    }

                    if (line[i] == '\\')
                    {
                        value.Append(i + 1 < line.Length ? line[i + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"{at}: unknown escape in a label value"),
                        } : throw new FormatException($"{at}: dangling escape"));
                        i += 2;
                        continue;
                    }

                    value.Append(line[i++]);
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"{at}: label {label} twice");
                }

                if (i < line.Length && line[i] == ',')
                {
                    i++;
                }
                else if (i >= line.Length || line[i] != '}')
                {
                    throw new FormatException($"{at}: expected ',' or '}}' after a label");
                }
            }
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"{at}: no value");
        }

        var rest = line[(i + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
        {
            throw new FormatException($"{at}: expected a value and at most a timestamp");
        }

        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"{at}: the timestamp is not an integer");
        }

        return new MetricSample(name, labels, Float(rest[0], at));
    }

    private static double Float(string text, string at) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new FormatException($"{at}: '{text}' is not a float"),
    };

    private static string MetricName(string name, string at) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':')
            ? name
            : throw new FormatException($"{at}: '{name}' is not a metric name");

    private static string LabelName(string name, string at) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !name.StartsWith("__", StringComparison.Ordinal)
            ? name
            : throw new FormatException($"{at}: '{name}' is not a label name");

    /// <summary>HELP text: <c>\\</c> and <c>\n</c> are its escapes.</summary>
    private static string Unescape(string text, string at)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                result.Append(text[i]);
                continue;
            }

            result.Append(i + 1 < text.Length ? text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                _ => throw new FormatException($"{at}: unknown escape in HELP"),
            } : throw new FormatException($"{at}: dangling escape in HELP"));
        }

        return result.ToString();
    }
}
