using System.Text.RegularExpressions;

namespace Cordon.ControlPlane.Policy;

/// <summary>Secret names become environment variable names, so only this alphabet is accepted.</summary>
internal static partial class SecretNames
{
    public const string Rule = "upper-case letters, digits and '_', not starting with a digit, at most 64";

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex("^[A-Z_][A-Z0-9_]{0,63}$")]
    private static partial Regex Pattern();
}
