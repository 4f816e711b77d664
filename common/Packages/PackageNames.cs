using System.Text.RegularExpressions;

namespace Cordon.Packages;

/// <summary>
/// Package names as each ecosystem compares them: python's normalised as PEP 503 does (runs of <c>-_.</c> are one
/// <c>-</c>, lower case), npm's lower case (scoped names keep their <c>@scope/</c>).
/// </summary>
internal static partial class PackageNames
{
    public const string Python = "python";

    public const string JavaScript = "javascript";

    public static string Normalize(string ecosystem, string name) =>
        ecosystem == Python ? Separators().Replace(name, "-").ToLowerInvariant() : name.ToLowerInvariant();

    /// <summary>Whether a package name is valid for the ecosystem.</summary>
    public static bool IsValid(string ecosystem, string name) =>
        ecosystem == Python ? PythonName().IsMatch(name) : NpmName().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$")]
    private static partial Regex PythonName();

    [GeneratedRegex(@"^(?:@[a-z0-9][a-z0-9._-]{0,99}/)?[a-z0-9][a-z0-9._-]{0,213}$", RegexOptions.IgnoreCase)]
    private static partial Regex NpmName();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();
}
