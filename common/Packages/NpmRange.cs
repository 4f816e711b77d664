using System.Globalization;
using System.Text.RegularExpressions;

namespace Cordon.Packages;

/// <summary>
/// An npm version range (node-semver's grammar): <c>||</c> alternatives of space-separated comparators; X-ranges
/// (<c>1.x</c>, <c>1.2.*</c>, <c>*</c>), partial versions, tilde (<c>~1.2.3</c>), caret (<c>^0.2.3</c>) and hyphen
/// ranges (<c>1.2.3 - 2.3.4</c>), desugared into primitive comparators as node-semver does. A pre-release version
/// satisfies an alternative only if one of its comparators names a pre-release of the same major.minor.patch.
/// </summary>
internal sealed partial class NpmRange
{
    private readonly List<List<Comparator>> _alternatives;

    private NpmRange(List<List<Comparator>> alternatives) => _alternatives = alternatives;

    public static NpmRange? Parse(string text, out string? problem)
    {
        problem = null;
        var alternatives = new List<List<Comparator>>();
        foreach (var raw in text.Split("||"))
        {
            // "> = 1.2" and ">= 1.2" both mean ">=1.2".
            var range = OperatorSpace().Replace(raw.Trim(), "$1");
            var set = new List<Comparator>();
            var hyphen = Hyphen().Match(range);
            if (hyphen.Success)
            {
                if (!HyphenRange(hyphen.Groups[1].Value, hyphen.Groups[2].Value, set, out problem))
                {
                    return null;
                }
            }
            else
            {
                foreach (var token in range.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!Simple(token, set, out problem))
                    {
                        return null;
                    }
                }
            }

            alternatives.Add(set);
        }

        return new NpmRange(alternatives);
    }

    public bool Contains(SemVersion version) => _alternatives.Any(set => Satisfies(set, version));

    private static bool Satisfies(List<Comparator> set, SemVersion version)
    {
        if (!set.All(c => c.Matches(version)))
        {
            return false;
        }

        return !version.IsPrerelease || set.Any(c => c.Version.IsPrerelease && c.Version.SameRelease(version));
    }

    private static bool Simple(string token, List<Comparator> set, out string? problem)
    {
        problem = null;
        var op = token.StartsWith(">=", StringComparison.Ordinal) || token.StartsWith("<=", StringComparison.Ordinal) ? token[..2]
            : token.Length > 0 && token[0] is '>' or '<' or '=' or '~' or '^' ? token[..1]
            : "";
        if (op == "~" && token.StartsWith("~>", StringComparison.Ordinal))
        {
            op = "~>";
        }

        var partialText = token[op.Length..];
        if (!Partial.TryParse(partialText, out var p))
        {
            problem = $"'{token}' is not a version, partial version (1.2, 1.x) or range";
            return false;
        }

        switch (op)
        {
            case "~" or "~>":
                Tilde(p, set);
                break;
            case "^":
                Caret(p, set);
                break;
            case "" or "=":
                XRange(p, set);
                break;
            default:
                Primitive(op, p, set);
                break;
        }

        return true;
    }

    private static void XRange(Partial p, List<Comparator> set)
    {
        if (p.Major is null)
        {
            set.Add(Comparator.Any);
        }
        else if (p.Minor is null)
        {
            set.Add(new(">=", V(p.Major.Value, 0, 0)));
            set.Add(new("<", Upper(p.Major.Value + 1, 0, 0)));
        }
        else if (p.Patch is null)
        {
            set.Add(new(">=", V(p.Major.Value, p.Minor.Value, 0)));
            set.Add(new("<", Upper(p.Major.Value, p.Minor.Value + 1, 0)));
        }
        else
        {
            set.Add(new("=", p.Full()));
        }
    }

    private static void Tilde(Partial p, List<Comparator> set)
    {
        if (p.Major is null)
        {
            set.Add(Comparator.Any);
        }
        else if (p.Minor is null)
        {
            XRange(p, set);
        }
        else
        {
            set.Add(new(">=", p.Patch is null ? V(p.Major.Value, p.Minor.Value, 0) : p.Full()));
            set.Add(new("<", Upper(p.Major.Value, p.Minor.Value + 1, 0)));
        }
    }

    private static void Caret(Partial p, List<Comparator> set)
    {
        if (p.Major is null)
        {
            set.Add(Comparator.Any);
            return;
        }

        long major = p.Major.Value, minor = p.Minor ?? 0, patch = p.Patch ?? 0;
        set.Add(new(">=", p.Patch is null ? V(major, minor, 0) : p.Full()));
        // The upper bound is the next change of the left-most non-zero part that was given.
        var upper = major != 0 || p.Minor is null ? Upper(major + 1, 0, 0)
            : minor != 0 || p.Patch is null ? Upper(0, minor + 1, 0)
            : Upper(0, 0, patch + 1);
        set.Add(new("<", upper));
    }

    private static void Primitive(string op, Partial p, List<Comparator> set)
    {
        if (p.Major is null)
        {
            // ">=*" and "<=*" allow anything; "<*" and ">*" nothing.
            set.Add(op is ">=" or "<=" ? Comparator.Any : new Comparator("<", Upper(0, 0, 0)));
            return;
        }

        if (p.Patch is not null)
        {
            set.Add(new(op, p.Full()));
            return;
        }

        long major = p.Major.Value, minor = p.Minor ?? 0;
        switch (op)
        {
            case ">":
                set.Add(new(">=", p.Minor is null ? V(major + 1, 0, 0) : V(major, minor + 1, 0)));
                break;
            case "<=":
                set.Add(new("<", p.Minor is null ? Upper(major + 1, 0, 0) : Upper(major, minor + 1, 0)));
                break;
            case "<":
                set.Add(new("<", Upper(major, minor, 0)));
                break;
            default:
                set.Add(new(">=", V(major, minor, 0)));
                break;
        }
    }

    private static bool HyphenRange(string from, string to, List<Comparator> set, out string? problem)
    {
        problem = null;
        if (!Partial.TryParse(from, out var low) || !Partial.TryParse(to, out var high))
        {
            problem = $"'{from} - {to}' is not a hyphen range of two versions";
            return false;
        }

        set.Add(low.Major is null ? Comparator.Any : new(">=", low.Patch is null ? V(low.Major.Value, low.Minor ?? 0, 0) : low.Full()));
        if (high.Major is null)
        {
            set.Add(Comparator.Any);
        }
        else if (high.Patch is not null)
        {
            set.Add(new("<=", high.Full()));
        }
        else
        {
            set.Add(new("<", high.Minor is null ? Upper(high.Major.Value + 1, 0, 0) : Upper(high.Major.Value, high.Minor.Value + 1, 0)));
        }

        return true;
    }

    private static SemVersion V(long major, long minor, long patch) => new(major, minor, patch, []);

    // "<2.0.0-0": below every pre-release of 2.0.0 too.
    private static SemVersion Upper(long major, long minor, long patch) => new(major, minor, patch, ["0"]);

    [GeneratedRegex(@"(<=|>=|<|>|=|~>|~|\^)\s+")]
    private static partial Regex OperatorSpace();

    [GeneratedRegex(@"^\s*(\S+)\s+-\s+(\S+)\s*$")]
    private static partial Regex Hyphen();

    private sealed record Comparator(string Op, SemVersion Version)
    {
        public static readonly Comparator Any = new(">=", new SemVersion(0, 0, 0, []));

        public bool Matches(SemVersion v)
        {
            var c = v.CompareTo(Version);
            return Op switch
            {
                ">=" => c >= 0,
                "<=" => c <= 0,
                ">" => c > 0,
                "<" => c < 0,
                _ => c == 0,
            };
        }
    }

    /// <summary><c>1</c>, <c>1.2</c>, <c>1.x</c>, <c>1.2.3-beta</c>; null members are wildcards.</summary>
    private sealed partial record Partial(long? Major, long? Minor, long? Patch, string Rest)
    {
        public SemVersion Full()
        {
            SemVersion.TryParse(string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}{Rest}"), out var version);
            return version;
        }

        public static bool TryParse(string text, out Partial partial)
        {
            partial = null!;
            text = text.TrimStart('v', '=');
            if (text.Length == 0)
            {
                partial = new Partial(null, null, null, "");
                return true;
            }

            var match = Pattern().Match(text);
            if (!match.Success)
            {
                return false;
            }

            long? major = Part(match.Groups["major"]), minor = Part(match.Groups["minor"]), patch = Part(match.Groups["patch"]);
            // A wildcard makes every later part a wildcard ("1.x.3" is "1.x"); a pre-release needs all three numbers.
            minor = major is null ? null : minor;
            patch = minor is null ? null : patch;
            var rest = match.Groups["rest"].Value;
            if (rest.Length > 0 && patch is null)
            {
                return false;
            }

            partial = new Partial(major, minor, patch, rest);
            return patch is null || SemVersion.TryParse(string.Create(CultureInfo.InvariantCulture, $"{major}.{minor}.{patch}{rest}"), out _);
        }

        private static long? Part(Group group) =>
            !group.Success || group.Value is "x" or "X" or "*" ? null
            : group.Value.Length <= 16 ? long.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture) : long.MaxValue;

        [GeneratedRegex(@"^(?<major>[0-9]+|[xX*])(?:\.(?<minor>[0-9]+|[xX*])(?:\.(?<patch>[0-9]+|[xX*])(?<rest>(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?))?)?$",
            RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
        private static partial Regex Pattern();
    }
}
