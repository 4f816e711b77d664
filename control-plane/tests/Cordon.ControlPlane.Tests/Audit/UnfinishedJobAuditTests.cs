using Cordon.Audit;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Storage;
using Cordon.ControlPlane.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cordon.ControlPlane.Tests.Audit;

/// <summary>A job left running by a control plane that stopped gets its end, and its <c>job.end</c> event, at the next start.</summary>
public sealed class UnfinishedJobAuditTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("cordon-cp-recovery-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    [Fact]
    public async Task Restart_JobLeftRunning_EndedErrorAndJobEndAuditedOnTheSameChain()
    {
        var settings = new Dictionary<string, string?> { ["Cordon:DataDir"] = _dataDir };
        long headBefore;
        var (first, firstRunner) = await ControlPlaneFactory.StartAsync(settings);
        await using (firstRunner)
        await using (first)
        {
            await using var scope = first.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            db.Jobs.Add(new JobEntity { Id = "job-orphan", TenantId = "acme", Language = "python", Status = JobStatus.Running, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
            await first.Services.GetRequiredService<IAuditSink>().WriteAsync(new AuditEvent(AuditActions.JobStart, "acme", "user-1", "job-orphan", "accepted"), Ct);
            headBefore = first.Services.GetRequiredService<AuditLog>().Head.Seq;
        }

        var (second, secondRunner) = await ControlPlaneFactory.StartAsync(settings);
        await using (secondRunner)
        await using (second)
        {
            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CordonDbContext>();
            var job = await db.Jobs.IgnoreQueryFilters().SingleAsync(j => j.Id == "job-orphan", Ct);
            Assert.Equal(JobStatus.Error, job.Status);

            var page = await (await second.ClientFor("acme", "audit:read").GetAsync("/v1/audit?limit=1000", Ct)).ReadAsync<AuditPage>();
            var start = Assert.Single(page.Items, r => r.Action == AuditActions.JobStart && r.Target == "job-orphan");
            var end = Assert.Single(page.Items, r => r.Action == AuditActions.JobEnd && r.Target == "job-orphan");
            Assert.Equal("error", end.Outcome);
            Assert.Equal(UnfinishedJobRecovery.Reason, end.Details["detail"]);
            Assert.True(end.Seq > headBefore && start.Seq <= headBefore);

            var log = second.Services.GetRequiredService<AuditLog>();
            var verification = await AuditChainVerifier.VerifyAsync(log.Directory, log.Head.Seq, Ct);
            Assert.True(verification.Valid, verification.Reason);
        }
    }
}
