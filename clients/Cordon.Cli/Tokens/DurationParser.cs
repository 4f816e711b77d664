using System.Globalization;

namespace Cordon.Cli.Tokens;

/// <summary>Parses lifetimes such as <c>90s</c>, <c>30m</c>, <c>24h</c>, <c>7d</c> (a bare number is seconds).</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || double.IsInfinity(value))
        {
            return false;
        }

        double? seconds = unit switch
        {
            's' => value,
            'm' => value * 60,
            'h' => value * 3600,
            'd' => value * 86400,
            _ => null,
        };
        if (seconds is not { } s || s > TimeSpan.FromDays(3650).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(Math.Ceiling(s));
        return true;
    }
}
