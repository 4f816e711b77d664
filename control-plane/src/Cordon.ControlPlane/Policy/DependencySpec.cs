using Cordon.Packages;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// The ecosystems packages can be installed for, and the requests' package syntax (<see cref="PackageRequirement"/>,
/// which the runner parses again before it installs anything).
/// </summary>
internal static class DependencySpec
{
    public static readonly string[] Ecosystems = [PackageNames.Python, PackageNames.JavaScript];

    public static bool HasPackageManager(string language) => Ecosystems.Contains(language, StringComparer.Ordinal);

    public static PackageRequirement? Parse(string language, string? text, out string? problem) =>
        PackageRequirement.Parse(language, text, out problem);

    /// <summary>Whether a package name is valid for the ecosystem (policy allowlists use the same rule).</summary>
    public static bool IsValidName(string language, string name) => PackageNames.IsValid(language, name);

    public static string NormalizeName(string language, string name) => PackageNames.Normalize(language, name);
}
