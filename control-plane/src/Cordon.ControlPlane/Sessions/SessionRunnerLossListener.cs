using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// A lost runner's sessions end with <c>runner_lost</c>. Their sandboxes are not destroyed now (the runner does not
/// answer); if it comes back, <see cref="SessionSandboxReconciler"/> destroys them.
/// </summary>
internal sealed class SessionRunnerLossListener(IServiceScopeFactory scopeFactory, SessionTerminator terminator) : IRunnerLossListener
{
    public async Task OnRunnerLostAsync(string runnerId, string reason, CancellationToken cancellationToken)
    {
        List<string> ids;
        await using (var scope = scopeFactory.CreateAsyncScope())
        {
            ids = await scope.ServiceProvider.GetRequiredService<CordonDbContext>().Sessions.IgnoreQueryFilters()
                .Where(s => s.RunnerId == runnerId && s.Status != SessionStatus.Ended)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
        }

        foreach (var id in ids)
        {
            await terminator.EndAsync(id, SessionEndReason.RunnerLost, destroySandbox: false, reason, cancellationToken);
        }
    }
}
