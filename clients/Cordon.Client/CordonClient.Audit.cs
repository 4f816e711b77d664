using System.Globalization;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Json;

namespace Cordon.Client;

public sealed partial class CordonClient
{
    /// <summary>
    /// <c>GET /v1/audit</c> (scope <c>audit:read</c>; <c>admin</c> sees every tenant): one page of audit records,
    /// oldest first, in <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive).
    /// </summary>
    public Task<AuditPage> ListAuditAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? action = null, int? limit = null, string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (from is { } start)
        {
            query.Add("from=" + Uri.EscapeDataString(start.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)));
        }

        if (to is { } end)
        {
            query.Add("to=" + Uri.EscapeDataString(end.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)));
        }

        if (action is { Length: > 0 })
        {
            query.Add("action=" + Uri.EscapeDataString(action));
        }

        if (limit is { } size)
        {
            query.Add("limit=" + size.ToString(CultureInfo.InvariantCulture));
        }

        if (cursor is { Length: > 0 })
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }

        var path = query.Count == 0 ? "v1/audit" : "v1/audit?" + string.Join('&', query);
        return GetJsonAsync(path, CordonJsonContext.Default.AuditPage, cancellationToken);
    }

    /// <summary><c>GET /v1/audit/verify</c> (scope <c>admin</c>): the control plane recomputes the audit chain.</summary>
    public Task<AuditVerification> VerifyAuditAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("v1/audit/verify", CordonJsonContext.Default.AuditVerification, cancellationToken);
}
