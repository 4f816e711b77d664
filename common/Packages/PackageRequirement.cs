using System.Text.RegularExpressions;

namespace Cordon.Packages;

/// <summary>
/// A package a request asks for: python <c>name==1.2.3</c> or <c>name&gt;=1,&lt;2</c> (PEP 440; the name normalised as
/// PEP 503 does), javascript <c>name@1.2.3</c>, <c>name@^1.2.0</c> or <c>@scope/name@~2</c> (npm semver). A bare name
/// asks for any version the policy allows. <see cref="Version"/> is set for a pin (one exact version), which the
/// policy checks before anything runs; a range is narrowed to the allowlist's versions when it is installed. Only
/// a name and a version constraint are accepted — no extras, markers, URLs, paths or quotes — so the installer's
/// command line holds nothing else.
/// </summary>
internal sealed partial record PackageRequirement(string Name, string? Version, string Constraint)
{
    /// <summary>What the runtime's own installer is given: <c>name&lt;constraint&gt;</c> (pip) or <c>name@range</c> (npm).</summary>
    public string ToolSpec(string ecosystem) =>
        Constraint.Length == 0 ? Name : ecosystem == PackageNames.Python ? Name + Constraint : Name + "@" + Constraint;

    public static PackageRequirement? Parse(string ecosystem, string? text, out string? problem)
    {
        problem = null;
        text = text?.Trim() ?? "";
        switch (ecosystem)
        {
            case PackageNames.Python:
                var python = PythonRequirement().Match(text);
                if (!python.Success)
                {
                    problem = $"'{text}' is not name or name<specifiers> (e.g. requests==2.32.3 or requests>=2,<3)";
                    return null;
                }

                var specifiers = python.Groups[2].Value.Replace(" ", "", StringComparison.Ordinal).TrimEnd(',');
                if (Pep440Specifier.Parse(specifiers, out var pythonProblem) is null)
                {
                    problem = $"'{text}': {pythonProblem}";
                    return null;
                }

                var pin = PythonPin().Match(specifiers);
                return new PackageRequirement(
                    PackageNames.Normalize(ecosystem, python.Groups[1].Value),
                    pin.Success && Pep440Version.TryParse(pin.Groups[1].Value, out var pep440) ? pep440.ToString() : null,
                    specifiers);
            case PackageNames.JavaScript:
                var npm = NpmRequirement().Match(text);
                if (!npm.Success)
                {
                    problem = $"'{text}' is not name or name@range (e.g. lodash@4.17.21 or lodash@^4.17.0)";
                    return null;
                }

                var range = npm.Groups[2].Success ? npm.Groups[2].Value.Trim() : "";
                if (range.Length > 0 && NpmRange.Parse(range, out var npmProblem) is null)
                {
                    problem = $"'{text}': {npmProblem}";
                    return null;
                }

                return new PackageRequirement(
                    PackageNames.Normalize(ecosystem, npm.Groups[1].Value),
                    SemVersion.TryParse(range, out var semver) ? semver.ToString() : null,
                    range);
            default:
                problem = $"'{ecosystem}' has no package manager; dependencies are for python and javascript";
                return null;
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?)\s*((?:[=!<>~]=?=?\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*)$")]
    private static partial Regex PythonRequirement();

    [GeneratedRegex(@"^==([^,*]+)$")]
    private static partial Regex PythonPin();

    [GeneratedRegex(@"^((?:@[a-z0-9][a-z0-9._-]{0,99}/)?[a-z0-9][a-z0-9._-]{0,213})(?:@([0-9A-Za-z.^~<>=|*+ -]{1,200}))?$", RegexOptions.IgnoreCase)]
    private static partial Regex NpmRequirement();
}
