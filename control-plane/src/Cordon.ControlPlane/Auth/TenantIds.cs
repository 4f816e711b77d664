using System.Text.RegularExpressions;

namespace Cordon.ControlPlane.Auth;

/// <summary>Tenant ids end up in object-store keys and logs, so only a safe alphabet is accepted from tokens.</summary>
internal static partial class TenantIds
{
    public static bool IsValid(string? tenant) => tenant is not null && Pattern().IsMatch(tenant);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}
