using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// Reconciles a runner's session sandboxes with the database, both ways: a session whose sandbox the runner no
/// longer holds (it restarted) ends <c>runner_lost</c>; a sandbox no live session owns (its session ended while the
/// runner was unreachable, a destroy that timed out) is destroyed. Every
/// decision reads the database, so replicas agree; destroy and end are idempotent, so they may race.
/// </summary>
internal sealed partial class SessionSandboxReconciler(
    IServiceScopeFactory scopeFactory,
    RunnerGateway gateway,
    SessionTerminator terminator,
    ILogger<SessionSandboxReconciler> logger) : IRunnerReconciler
{
    private const int DestroyConcurrency = 8;

    public async Task ReconcileAsync(RunnerState runner, CancellationToken cancellationToken)
    {
        // Read before the listing: each of these sandboxes was created before its row, so before the listing too.
        var expected = await LiveSessionsOnAsync(runner.Id, cancellationToken);

        RunnerV1.ListSandboxesReply listed;
        try
        {
            listed = await gateway.ListSandboxesAsync(runner, cancellationToken);
        }
        catch (CordonException ex)
        {
            LogListFailed(logger, runner.Id, ex.Message); // down again, or a runner without ListSandboxes: next round
            return;
        }

        var held = listed.Sandboxes.Select(s => s.SandboxId).ToHashSet(StringComparer.Ordinal);
        foreach (var (sessionId, sandboxId) in expected.Where(e => !held.Contains(e.SandboxId)))
        {
            if (await terminator.EndAsync(sessionId, SessionEndReason.RunnerLost, destroySandbox: false,
                    $"runner '{runner.Id}' no longer holds the session's sandbox {sandboxId} (it restarted or destroyed it)", cancellationToken))
            {
                LogSessionGone(logger, sessionId, sandboxId, runner.Id);
            }
        }

        var orphans = await OrphansAsync(runner.Id, listed.Sandboxes.Where(s => !s.OneShot).ToList(), cancellationToken);
        await Parallel.ForEachAsync(orphans, new ParallelOptions { MaxDegreeOfParallelism = DestroyConcurrency, CancellationToken = cancellationToken }, async (sandbox, ct) =>
        {
            LogDestroyingOrphan(logger, sandbox.SandboxId, sandbox.OwnerId, runner.Id);
            try
            {
                await gateway.DestroySandboxAsync(runner, sandbox.SandboxId, ct);
            }
            catch (CordonException ex)
            {
                LogOrphanDestroyFailed(logger, sandbox.SandboxId, runner.Id, ex.Message); // the next round retries
            }
        });
    }

    private async Task<List<(string Id, string SandboxId)>> LiveSessionsOnAsync(string runnerId, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<CordonDbContext>().Sessions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.RunnerId == runnerId && s.Status != SessionStatus.Ended)
            .Select(s => new { s.Id, s.SandboxId })
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => (r.Id, r.SandboxId));
    }

    /// <summary>Read after the listing: a session live now that names the sandbox keeps it; anything else is an orphan.</summary>
    private async Task<List<RunnerV1.SandboxSummary>> OrphansAsync(string runnerId, List<RunnerV1.SandboxSummary> sandboxes, CancellationToken cancellationToken)
    {
        var owners = sandboxes.Select(s => s.OwnerId).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var owning = new Dictionary<string, (SessionStatus Status, string RunnerId, string SandboxId)>(StringComparer.Ordinal);
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            // In chunks, so a runner with thousands of sandboxes never builds one huge IN list.
            foreach (var chunk in owners.Chunk(500))
            {
                var rows = await db.Sessions.IgnoreQueryFilters().AsNoTracking()
                    .Where(s => chunk.Contains(s.Id))
                    .Select(s => new { s.Id, s.Status, s.RunnerId, s.SandboxId })
                    .ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    owning[row.Id] = (row.Status, row.RunnerId, row.SandboxId);
                }
            }
        }

        // A sandbox whose owner has no row is left alone: its session may be being created (the row is stored after
        // the sandbox), or it belongs to another control plane with a database of its own on the same runner. The
        // runner's own Cordon:Runner:MaxSandboxAge bounds those.
        return sandboxes.Where(s => owning.TryGetValue(s.OwnerId, out var session)
                && (session.Status == SessionStatus.Ended || session.RunnerId != runnerId || session.SandboxId != s.SandboxId))
            .ToList();
    }

    [LoggerMessage(EventId = 1611, Level = LogLevel.Warning, Message = "Runner {RunnerId} did not list its sandboxes for reconciliation: {Reason}")]
    private static partial void LogListFailed(ILogger logger, string runnerId, string reason);

    [LoggerMessage(EventId = 1612, Level = LogLevel.Warning, Message = "Session {SessionId} ended: runner {RunnerId} no longer holds its sandbox {SandboxId}")]
    private static partial void LogSessionGone(ILogger logger, string sessionId, string sandboxId, string runnerId);

    [LoggerMessage(EventId = 1613, Level = LogLevel.Warning, Message = "Destroying orphaned sandbox {SandboxId} (owner '{OwnerId}', no live session) on runner {RunnerId}")]
    private static partial void LogDestroyingOrphan(ILogger logger, string sandboxId, string ownerId, string runnerId);

    [LoggerMessage(EventId = 1614, Level = LogLevel.Warning, Message = "Could not destroy orphaned sandbox {SandboxId} on runner {RunnerId}: {Reason}; the next round retries")]
    private static partial void LogOrphanDestroyFailed(ILogger logger, string sandboxId, string runnerId, string reason);
}
