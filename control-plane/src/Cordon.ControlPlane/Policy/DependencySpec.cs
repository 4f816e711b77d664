using System.Text.RegularExpressions;
using Cordon.ControlPlane.Policy.Versions;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// A package a request asks for, pinned to one version: <c>name==1.2.3</c> for python (PEP 440; the name normalised
/// as PEP 503 does), <c>name@1.2.3</c> or <c>@scope/name@1.2.3</c> for javascript (SemVer). Pins keep the installed set
/// exactly what the policy checked.
/// </summary>
internal sealed partial record DependencySpec(string Name, string Version)
{
    public static readonly string[] Ecosystems = ["python", "javascript"];

    public static bool HasPackageManager(string language) => Ecosystems.Contains(language, StringComparer.Ordinal);

    public static DependencySpec? Parse(string language, string? text, out string? problem)
    {
        problem = null;
        text = text?.Trim() ?? "";
        switch (language)
        {
            case "python":
                var python = PythonPin().Match(text);
                if (!python.Success || !Pep440Version.TryParse(python.Groups[2].Value, out var pep440))
                {
                    problem = $"'{text}' must pin one version: name==version (e.g. requests==2.32.3)";
                    return null;
                }

                return new DependencySpec(NormalizePythonName(python.Groups[1].Value), pep440.ToString());
            case "javascript":
                var npm = NpmPin().Match(text);
                if (!npm.Success || !SemVersion.TryParse(npm.Groups[2].Value, out var semver))
                {
                    problem = $"'{text}' must pin one version: name@version (e.g. lodash@4.17.21)";
                    return null;
                }

                return new DependencySpec(npm.Groups[1].Value.ToLowerInvariant(), semver.ToString());
            default:
                problem = $"'{language}' has no package manager; dependencies are for {string.Join(" and ", Ecosystems)}";
                return null;
        }
    }

    /// <summary>Whether a package name is valid for the ecosystem (policy allowlists use the same rule).</summary>
    public static bool IsValidName(string language, string name) =>
        language == "python" ? PythonName().IsMatch(name) : NpmName().IsMatch(name);

    public static string NormalizeName(string language, string name) =>
        language == "python" ? NormalizePythonName(name) : name.ToLowerInvariant();

    private static string NormalizePythonName(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    [GeneratedRegex(@"^([A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?)\s*==\s*([^\s,;=]+)$")]
    private static partial Regex PythonPin();

    [GeneratedRegex(@"^((?:@[a-z0-9][a-z0-9._-]{0,99}/)?[a-z0-9][a-z0-9._-]{0,213})@([^\s@]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex NpmPin();

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")]
    private static partial Regex PythonName();

    [GeneratedRegex(@"^(?:@[a-z0-9][a-z0-9._-]{0,99}/)?[a-z0-9][a-z0-9._-]{0,213}$", RegexOptions.IgnoreCase)]
    private static partial Regex NpmName();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();
}
