using Cordon.Contracts.Runner.V1;
using Cordon.Packages;
using Cordon.Runner.Execution;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// The packages one installation may fetch (the control plane's <see cref="PackageRule"/>s, parsed again here: the
/// runner enforces, so it trusts no constraint it cannot read). A name off the list is refused whole; a listed
/// name admits only the versions its constraint contains.
/// </summary>
internal sealed class PackageAllowlist
{
    private readonly Dictionary<string, Func<string, bool>> _rules = new(StringComparer.Ordinal);

    private PackageAllowlist(string ecosystem) => Ecosystem = ecosystem;

    public string Ecosystem { get; }

    public IEnumerable<string> Names => _rules.Keys;

    public static PackageAllowlist Parse(string ecosystem, IEnumerable<PackageRule> rules)
    {
        var allowlist = new PackageAllowlist(ecosystem);
        foreach (var rule in rules)
        {
            if (!PackageNames.IsValid(ecosystem, rule.Name))
            {
                throw new BadExecRequestException($"package rule '{rule.Name}' is not a valid {ecosystem} package name");
            }

            var name = PackageNames.Normalize(ecosystem, rule.Name);
            var contains = Contains(ecosystem, rule.Constraint, out var problem)
                ?? throw new BadExecRequestException($"package rule '{rule.Name}' constraint '{rule.Constraint}': {problem}");
            // Two rules for one name: either admits (the policy's allowlist is a union).
            allowlist._rules[name] = allowlist._rules.TryGetValue(name, out var earlier) ? v => earlier(v) || contains(v) : contains;
        }

        return allowlist;
    }

    public bool Knows(string name) => _rules.ContainsKey(PackageNames.Normalize(Ecosystem, name));

    public bool Allows(string name, string version) =>
        _rules.TryGetValue(PackageNames.Normalize(Ecosystem, name), out var contains) && contains(version);

    /// <summary>A test of a version against <paramref name="constraint"/>; null and a problem when it does not parse.</summary>
    public static Func<string, bool>? Contains(string ecosystem, string constraint, out string? problem)
    {
        if (ecosystem == PackageNames.Python)
        {
            var specifier = Pep440Specifier.Parse(constraint, out problem);
            return specifier is null ? null : v => Pep440Version.TryParse(v, out var version) && specifier.Contains(version);
        }

        var range = NpmRange.Parse(constraint.Length == 0 ? "*" : constraint, out problem);
        return range is null ? null : v => SemVersion.TryParse(v, out var version) && range.Contains(version);
    }
}
