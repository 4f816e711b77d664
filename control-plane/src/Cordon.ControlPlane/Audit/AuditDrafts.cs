using System.Text;
using Cordon.Contracts.Audit;

namespace Cordon.ControlPlane.Audit;

/// <summary>
/// An <see cref="AuditEvent"/> as a record still to be chained (no sequence number, time or hashes yet): members
/// capped so a record stays small, and made valid UTF-16 so its canonical bytes read back to the same strings.
/// </summary>
internal static class AuditDrafts
{
    public const int MaxIdChars = 256;

    public const int MaxDetailChars = 1024;

    public const string DetailKey = "detail";

    public const string AuthBypassedKey = "authBypassed";

    public static AuditRecord From(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Clean(auditEvent.Detail, MaxDetailChars) is { } detail)
        {
            details[DetailKey] = detail;
        }

        if (auditEvent.AuthBypassed)
        {
            details[AuthBypassedKey] = "true";
        }

        return new AuditRecord
        {
            Seq = 0,
            Time = default,
            Tenant = Clean(auditEvent.Tenant, MaxIdChars),
            Actor = Clean(auditEvent.Subject, MaxIdChars),
            Action = Clean(auditEvent.Action, 64) ?? "",
            Target = Clean(auditEvent.ResourceId, MaxIdChars),
            Outcome = Clean(auditEvent.Outcome, MaxIdChars) ?? "",
            Details = details,
            PrevHash = "",
            Hash = "",
        };
    }

    /// <summary>Capped, and a lone surrogate (which UTF-8 cannot carry) replaced the way the encoder would.</summary>
    private static string? Clean(string? value, int maxChars)
    {
        if (value is null)
        {
            return null;
        }

        var capped = value.Length > maxChars ? value[..maxChars] : value;
        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(capped));
    }
}
