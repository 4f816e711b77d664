using Cordon.ControlPlane.Quotas;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;

namespace Cordon.ControlPlane.Service;

/// <summary>
/// What <c>/readyz</c> checks: the database answers, the quota counters answer (Redis, when configured), objects
/// can be stored, and at least one runner is up. Each failed check is one line naming it.
/// </summary>
internal sealed class Readiness(CordonDbContext db, IQuotaCounters counters, IObjectStore objects, RunnerRegistry runners)
{
    public async Task<IReadOnlyList<string>> FailedChecksAsync(CancellationToken cancellationToken)
    {
        var failed = new List<string>();
        if (!await CanConnectAsync(cancellationToken))
        {
            failed.Add("database: not reachable");
        }

        if (await counters.CheckAsync(cancellationToken) is { } quotas)
        {
            failed.Add("redis: " + quotas);
        }

        if (await objects.CheckAsync(cancellationToken) is { } storage)
        {
            failed.Add("objectStorage: " + storage);
        }

        if (!runners.All.Any(r => r.IsUp))
        {
            failed.Add(runners.All.Count == 0 ? "runners: none is configured" : "runners: none is up");
        }

        return failed;
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }
}
