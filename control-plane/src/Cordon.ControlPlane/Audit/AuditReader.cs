using Cordon.Contracts.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Audit;

/// <summary>Reads the audit index: the caller's tenant's records, or every tenant's for <c>admin</c>; oldest first.</summary>
internal sealed class AuditReader(CordonDbContext db, RequestContext context)
{
    public async Task<AuditPage> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var events = context.Scopes.Contains(Scopes.Admin)
            ? db.AuditEvents.IgnoreQueryFilters()
            : db.AuditEvents.Where(e => e.TenantId == context.RequiredTenant);
        events = events.Where(e => e.Seq > query.AfterSeq);
        if (query.From is { } from)
        {
            events = events.Where(e => e.Time >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.Time < to);
        }

        if (query.Action is { } action)
        {
            events = events.Where(e => e.Action == action);
        }

        var rows = await events.OrderBy(e => e.Seq).Take(query.Limit + 1).AsNoTracking().ToListAsync(cancellationToken);
        var page = rows.Take(query.Limit).Select(AuditIndex.ToRecord).ToList();
        return new AuditPage { Items = page, Next = rows.Count > query.Limit ? AuditQuery.EncodeCursor(page[^1].Seq) : null };
    }
}
