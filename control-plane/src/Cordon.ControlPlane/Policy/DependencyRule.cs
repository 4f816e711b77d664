using Cordon.Packages;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// An allowlisted package: a normalised name and a version constraint in the ecosystem's own language — a PEP 440
/// specifier set for python, an npm range for javascript; no constraint allows every final release.
/// </summary>
internal sealed record DependencyRule(string Name, string? Version, Pep440Specifier? Pep440, NpmRange? Npm)
{
    public bool Allows(string version) =>
        Pep440 is not null ? Pep440Version.TryParse(version, out var pep) && Pep440.Contains(pep)
        : Npm is not null ? SemVersion.TryParse(version, out var sem) && Npm.Contains(sem)
        : false;

    /// <summary>Parses the constraint for the ecosystem; null and a problem when it is not valid there.</summary>
    public static DependencyRule? Create(string language, string name, string? version, out string? problem)
    {
        if (language == "python")
        {
            var specifier = Pep440Specifier.Parse(version ?? "", out problem);
            return specifier is null ? null : new DependencyRule(DependencySpec.NormalizeName(language, name), version, specifier, null);
        }

        var range = NpmRange.Parse(version ?? "*", out problem);
        return range is null ? null : new DependencyRule(DependencySpec.NormalizeName(language, name), version, null, range);
    }
}
