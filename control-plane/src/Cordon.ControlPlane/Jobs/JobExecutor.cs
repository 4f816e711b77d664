using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Drives one job from queued to a final status on a runner: placement, the streaming call, output events,
/// artifacts, and the mapping of the runner's result. Never leaves a job unfinished: every path ends in
/// <see cref="JobStore.TryMoveAsync"/> to a final status.
/// </summary>
internal sealed class JobExecutor(
    IServiceScopeFactory scopeFactory,
    RunnerRegistry registry,
    RunnerGateway gateway,
    JobCancellations cancellations,
    IObjectStore objects,
    IAuditSink audit,
    IOptions<JobsOptions> jobsOptions,
    IOptions<LimitsOptions> limitsOptions,
    TimeProvider timeProvider,
    ILogger<JobExecutor> logger)
{
    public async Task RunAsync(JobWorkItem item, CancellationToken stoppingToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().InitializeForSystem(item.Tenant);
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        var jobToken = cancellations.Register(item.JobId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(jobToken, stoppingToken);
        var token = linked.Token;
        RunnerState? runner = null;
        JobEntity? final = null;
        try
        {
            runner = await PlaceAsync(item, token);
            cancellations.SetRunner(item.JobId, runner.Id);
            var started = await store.TryMoveAsync(item.JobId, JobStatus.Running, j =>
            {
                j.StartedAt = timeProvider.GetUtcNow();
                j.RunnerId = runner.Id;
            }, CancellationToken.None);
            if (started is null)
            {
                return; // cancelled while queued
            }

            JobsLog.JobStarted(logger, item.JobId, item.Tenant, runner.Id);
            runner.Acquire();
            try
            {
                final = await ExecuteAsync(item, runner, store, token);
            }
            finally
            {
                runner.Release();
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var (reason, detail) = cancellations.ReasonFor(item.JobId);
            final = reason switch
            {
                CancelReason.Client => await store.TryMoveAsync(item.JobId, JobStatus.Cancelled, j => j.Error ??= "cancelled by the client", CancellationToken.None),
                CancelReason.SessionEnded => await store.TryMoveAsync(item.JobId, JobStatus.Cancelled, j => j.Error ??= detail ?? "the session ended", CancellationToken.None),
                _ => await Fail(store, item.JobId, detail ?? (stoppingToken.IsCancellationRequested ? "the control plane is shutting down" : "cancelled")),
            };
        }
        catch (CordonException ex)
        {
            final = await Fail(store, item.JobId, ex.Message);
        }
        catch (Exception ex)
        {
            JobsLog.JobCrashed(logger, ex, item.JobId);
            final = await Fail(store, item.JobId, "internal error in the control plane while running the job");
        }
        finally
        {
            cancellations.Remove(item.JobId);
            if (item.Exec is { } exec)
            {
                await exec.OnFinishedAsync(scope.ServiceProvider, CancellationToken.None);
            }
        }

        if (final is not null)
        {
            JobsLog.JobFinished(logger, item.JobId, final.Status.ToWireName(), final.DurationMs ?? 0);
            await audit.WriteAsync(new AuditEvent(AuditActions.JobEnd, item.Tenant, item.Subject, item.JobId, final.Status.ToWireName(), Detail: final.Error), CancellationToken.None);
        }
    }

    private async Task<JobEntity?> ExecuteAsync(JobWorkItem item, RunnerState runner, JobStore store, CancellationToken token)
    {
        // A guard in case the runner never ends the call: its timeout plus grace, or the maximum.
        var timeoutMs = item.TimeoutMs > 0 ? item.TimeoutMs : limitsOptions.Value.MaxTimeoutMs;
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(token);
        guard.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs) + TimeSpan.FromSeconds(jobsOptions.Value.RunnerGraceSeconds));

        var output = new OutputCollector(store, item.JobId, limitsOptions.Value.MaxOutputBytes);
        ExecResult result;
        try
        {
            result = item.RunJob is { } runJob
                ? await gateway.RunJobAsync(runner, runJob, chunk => output.OnChunkAsync(chunk, CancellationToken.None), guard.Token)
                : await gateway.ExecAsync(runner, item.Exec!.Request, chunk => output.OnChunkAsync(chunk, CancellationToken.None), guard.Token);
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !token.IsCancellationRequested)
        {
            await output.FlushAsync(CancellationToken.None);
            return await store.TryMoveAsync(item.JobId, JobStatus.Timeout, j => ApplyOutput(j, output,
                "the runner did not end the job within its timeout plus grace; the control plane stopped it"), CancellationToken.None);
        }

        await output.FlushAsync(CancellationToken.None);
        var artifacts = new List<ArtifactInfo>();
        foreach (var artifact in result.Artifacts)
        {
            if (!WorkspacePaths.IsValid(artifact.Path))
            {
                continue;
            }

            await objects.PutAsync(ArtifactKeys.For(item.Tenant, item.JobId, artifact.Path), artifact.Content.Memory, CancellationToken.None);
            artifacts.Add(new ArtifactInfo { Path = artifact.Path, Size = artifact.Content.Length, Sha256 = artifact.Sha256 });
        }

        return await store.TryMoveAsync(item.JobId, MapStatus(result.Status), j =>
        {
            ApplyOutput(j, output, string.IsNullOrEmpty(result.Error) ? null : result.Error);
            j.ExitCode = result.HasExitCode ? result.ExitCode : null;
            j.Signal = string.IsNullOrEmpty(result.Signal) ? null : result.Signal;
            j.StdoutTruncated |= result.StdoutTruncated;
            j.StderrTruncated |= result.StderrTruncated;
            j.CompileOutput = string.IsNullOrEmpty(result.CompileOutput) ? null : result.CompileOutput;
            j.DurationMs = result.DurationMs;
            j.CpuMs = result.Usage?.CpuMs;
            j.PeakMemoryBytes = result.Usage?.PeakMemoryBytes;
            j.ArtifactsJson = JsonSerializer.Serialize(artifacts, ControlPlaneJsonContext.Default.ListArtifactInfo);
            if (result.StartedAtUnixMs > 0)
            {
                j.StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(result.StartedAtUnixMs);
            }
        }, CancellationToken.None);
    }

    private async Task<RunnerState> PlaceAsync(JobWorkItem item, CancellationToken token)
    {
        if (item.Exec is { } exec)
        {
            var pinned = registry.Find(exec.RunnerId) ?? throw new RunnerUnavailableException(exec.RunnerId, $"the session's runner '{exec.RunnerId}' is no longer configured");
            return pinned.IsUp ? pinned : throw new RunnerUnavailableException(pinned.Id, $"the session's runner '{pinned.Id}' is down");
        }

        var deadline = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(jobsOptions.Value.PlacementTimeoutSeconds);
        while (true)
        {
            var runner = registry.Place(item.Language);
            if (runner is not null && runner.FreeCapacity > 0)
            {
                return runner;
            }

            if (timeProvider.GetUtcNow() > deadline)
            {
                return runner ?? throw new NoRunnerException($"No runner with the '{item.Language}' runtime became available within {jobsOptions.Value.PlacementTimeoutSeconds} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeProvider, token);
        }
    }

    private static void ApplyOutput(JobEntity job, OutputCollector output, string? error)
    {
        job.Stdout = output.Stdout;
        job.Stderr = output.Stderr;
        job.StdoutTruncated |= output.StdoutCut;
        job.StderrTruncated |= output.StderrCut;
        job.Error = error;
    }

    private async Task<JobEntity?> Fail(JobStore store, string jobId, string reason)
    {
        JobsLog.JobFailed(logger, jobId, reason);
        return await store.TryMoveAsync(jobId, JobStatus.Error, j => j.Error = reason, CancellationToken.None);
    }

    public static JobStatus MapStatus(ExecStatus status) => status switch
    {
        ExecStatus.Succeeded => JobStatus.Succeeded,
        ExecStatus.Failed => JobStatus.Failed,
        ExecStatus.CompileError => JobStatus.CompileError,
        ExecStatus.Timeout => JobStatus.Timeout,
        ExecStatus.MemoryLimit => JobStatus.MemoryLimit,
        ExecStatus.OutputLimit => JobStatus.OutputLimit,
        ExecStatus.Cancelled => JobStatus.Cancelled,
        _ => JobStatus.Error,
    };
}
