namespace Cordon.Packages;

/// <summary>
/// A PEP 440 version specifier set such as <c>&gt;=2.31,&lt;3</c>, <c>~=1.4.2</c>, <c>==3.*</c>, <c>!=2.0.1</c> or
/// <c>===1.0-foo</c>: every clause must match. As pip does, pre-releases match only when a clause names one, and
/// <c>&lt;V</c> / <c>&gt;V</c> exclude V's own pre- and post-releases.
/// </summary>
internal sealed class Pep440Specifier
{
    private static readonly string[] Operators = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

    private readonly List<Clause> _clauses;

    private Pep440Specifier(List<Clause> clauses) => _clauses = clauses;

    /// <summary>Parses a specifier set; <paramref name="problem"/> says what is wrong when it fails.</summary>
    public static Pep440Specifier? Parse(string text, out string? problem)
    {
        problem = null;
        var clauses = new List<Clause>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Pep440Specifier(clauses);
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var op = Operators.FirstOrDefault(o => part.StartsWith(o, StringComparison.Ordinal));
            if (op is null)
            {
                problem = $"'{part}' needs an operator (==, !=, <=, >=, <, >, ~= or ===)";
                return null;
            }

            var operand = part[op.Length..].Trim();
            if (op == "===")
            {
                if (operand.Length == 0 || operand.Any(char.IsWhiteSpace))
                {
                    problem = $"'{part}' needs a version after ===";
                    return null;
                }

                clauses.Add(new Clause(op, null, operand, Prefix: false));
                continue;
            }

            var prefix = operand.EndsWith(".*", StringComparison.Ordinal);
            if (prefix && op is not ("==" or "!="))
            {
                problem = $"'{part}': a '.*' suffix is allowed only with == and !=";
                return null;
            }

            if (!Pep440Version.TryParse(prefix ? operand[..^2] : operand, out var version) || operand.StartsWith('v'))
            {
                problem = $"'{operand}' in '{part}' is not a PEP 440 version";
                return null;
            }

            if (prefix && (version.Pre is not null || version.Post is not null || version.Dev is not null || version.Local is not null))
            {
                problem = $"'{part}': a '.*' prefix can only follow a release such as 1.2";
                return null;
            }

            if (version.Local is not null && op is not ("==" or "!="))
            {
                problem = $"'{part}': a local version label (+…) is allowed only with == and !=";
                return null;
            }

            if (op == "~=" && version.Release.Count < 2)
            {
                problem = $"'{part}': ~= needs at least two release segments (e.g. ~=1.4)";
                return null;
            }

            clauses.Add(new Clause(op, version, operand, prefix));
        }

        return new Pep440Specifier(clauses);
    }

    /// <summary>Whether <paramref name="candidate"/> satisfies every clause.</summary>
    public bool Contains(Pep440Version candidate)
    {
        // As packaging does: only an inclusive clause naming a pre-release lets pre-releases in ("<3.0rc2" does not).
        var prereleasesAllowed = _clauses.Any(c => c.Op is "==" or ">=" or "<=" or "~=" or "===" && c.NamesPrerelease);
        if (candidate.IsPrerelease && !prereleasesAllowed)
        {
            return false;
        }

        return _clauses.All(c => c.Matches(candidate));
    }

    private sealed record Clause(string Op, Pep440Version? Version, string Text, bool Prefix)
    {
        public bool NamesPrerelease =>
            (Version ?? (Pep440Version.TryParse(Text, out var parsed) ? parsed : null))?.IsPrerelease == true;

        public bool Matches(Pep440Version candidate)
        {
            if (Op == "===")
            {
                return string.Equals(candidate.ToString(), Text, StringComparison.OrdinalIgnoreCase);
            }

            var spec = Version!;
            return Op switch
            {
                "==" => Prefix ? PrefixMatches(candidate, spec) : Equal(candidate, spec),
                "!=" => Prefix ? !PrefixMatches(candidate, spec) : !Equal(candidate, spec),
                "<=" => candidate.Public.CompareTo(spec) <= 0,
                ">=" => candidate.Public.CompareTo(spec) >= 0,
                "<" => candidate.Public.CompareTo(spec) < 0
                    && !(!spec.IsPrerelease && candidate.IsPrerelease && candidate.Base.CompareTo(spec.Base) == 0),
                ">" => candidate.Public.CompareTo(spec) > 0
                    && !(!spec.IsPostrelease && candidate.IsPostrelease && candidate.Base.CompareTo(spec.Base) == 0)
                    && !(candidate.Local is not null && candidate.Base.CompareTo(spec.Base) == 0),
                "~=" => candidate.Public.CompareTo(spec) >= 0 && ReleasePrefix(candidate, spec.Epoch, spec.Release.Take(spec.Release.Count - 1).ToList()),
                _ => false,
            };
        }

        // Without a local label in the specifier, the candidate's own is ignored.
        private static bool Equal(Pep440Version candidate, Pep440Version spec) =>
            (spec.Local is null ? candidate.Public : candidate).CompareTo(spec) == 0;

        private static bool PrefixMatches(Pep440Version candidate, Pep440Version spec) =>
            ReleasePrefix(candidate, spec.Epoch, spec.Release);

        // The candidate's release, padded with zeros, starts with the prefix.
        private static bool ReleasePrefix(Pep440Version candidate, long epoch, IReadOnlyList<long> prefix)
        {
            if (candidate.Epoch != epoch)
            {
                return false;
            }

            for (var i = 0; i < prefix.Count; i++)
            {
                var segment = i < candidate.Release.Count ? candidate.Release[i] : 0;
                if (segment != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
