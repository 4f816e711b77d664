using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Mapping;
using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.DataProtection;
using Cordon.ControlPlane.Egress;
using Cordon.ControlPlane.Observability;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Secrets.Redaction;
using Cordon.ControlPlane.Storage;
using Cordon.Logging;
using Microsoft.EntityFrameworkCore.Query;
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
    OutputBuffers outputBuffers,
    IAuditSink audit,
    ControlPlaneMetrics metrics,
    IOptions<JobsOptions> jobsOptions,
    IOptions<LimitsOptions> limitsOptions,
    TimeProvider timeProvider,
    ILogger<JobExecutor> logger)
{
    // Signal names are short ("SIGKILL"); anything longer is not one.
    private const int MaxSignalChars = 32;

    /// <summary>
    /// Runs the job to a final status. <paramref name="placed"/>: the runner the dispatcher chose and reserved capacity
    /// on (given back here whatever happens); without it the job is placed here, waiting for a runner with its runtime.
    /// </summary>
    public async Task RunAsync(JobWorkItem item, CancellationToken stoppingToken, RunnerState? placed = null)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<RequestContext>().InitializeForSystem(item.Tenant);
        var store = scope.ServiceProvider.GetRequiredService<JobStore>();
        var jobToken = cancellations.Register(item.JobId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(jobToken, stoppingToken);
        var token = linked.Token;
        RunnerState? runner = null;
        var held = placed;
        OutputCollector? output = null;
        JobEntity? final = null;
        var dataKey = new JobDataKey(scope.ServiceProvider.GetRequiredService<DataKeys>(), item.Tenant, item.JobId);
        try
        {
            runner = placed ?? await PlaceAsync(item, token);
            cancellations.SetRunner(item.JobId, runner.Id);
            var startedAt = timeProvider.GetUtcNow();
            var started = await store.TryMoveAsync(item.JobId, JobStatus.Running, set => set
                .SetProperty(j => j.StartedAt, (DateTimeOffset?)startedAt)
                .SetProperty(j => j.RunnerId, runner.Id), CancellationToken.None);
            if (started is null)
            {
                return; // cancelled while queued
            }

            JobsLog.JobStarted(logger, item.JobId, item.Tenant, runner.Id);
            if (item is OneShotJobWork { Secrets.Count: > 0 } withSecrets)
            {
                // Read now, at dispatch, so a value is never kept with the queued job; the redactor follows them.
                item.AttachSecrets(await scope.ServiceProvider.GetRequiredService<SecretResolver>()
                    .ResolveAsync(item.Tenant, item.Subject, item.JobId, withSecrets.Secrets, token));
            }

            if (item is OneShotJobWork { Request.ArtifactGlobs.Count: > 0 })
            {
                // The key the runner encrypts the artifacts by before they leave it; kept in the database only.
                await dataKey.GetAsync(token);
            }

            output = new OutputCollector(store, item.JobId, limitsOptions.Value.MaxOutputBytes, outputBuffers, timeProvider, item.Redactor);
            if (held is null)
            {
                runner.Acquire();
                held = runner;
            }

            final = await ExecuteAsync(item, runner, store, output, dataKey, token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            var (reason, detail) = cancellations.ReasonFor(item.JobId);
            final = reason switch
            {
                CancelReason.Client => await EndAsync(store, item.JobId, JobStatus.Cancelled, "cancelled by the client", output, firstReasonWins: true),
                CancelReason.SessionEnded => await EndAsync(store, item.JobId, JobStatus.Cancelled, detail ?? "the session ended", output, firstReasonWins: true),
                CancelReason.RunnerLost when runner is not null => await Fail(store, item, Lost(runner), output, detail),
                _ => await Fail(store, item, detail ?? (stoppingToken.IsCancellationRequested ? "the control plane is shutting down" : "cancelled"), output),
            };
        }
        catch (RunnerUnavailableException ex) when (output is not null && runner is not null)
        {
            // The call broke mid-job (the runner died or its connection did): what it streamed so far is kept.
            final = await Fail(store, item, Lost(runner), output, ex.Message);
        }
        catch (CordonException ex)
        {
            final = await Fail(store, item, ex.Message, output);
        }
        catch (Exception ex)
        {
            JobsLog.JobCrashed(logger, ex, item.JobId);
            final = await Fail(store, item, "internal error in the control plane while running the job", output);
        }
        finally
        {
            held?.Release();
            cancellations.Remove(item.JobId);
            if (output is not null)
            {
                await output.AbandonAsync();
            }
        }

        if (final is not null)
        {
            JobsLog.JobFinished(logger, item.JobId, final.Status.ToWireName(), final.DurationMs ?? 0);
            metrics.JobFinished(final);
            await audit.WriteAsync(new AuditEvent(AuditActions.JobEnd, item.Tenant, item.Subject, item.JobId, final.Status.ToWireName(), Detail: final.Error), CancellationToken.None);
        }
    }

    private async Task<JobEntity?> ExecuteAsync(JobWorkItem item, RunnerState runner, JobStore store, OutputCollector output, JobDataKey dataKey, CancellationToken token)
    {
        // A guard in case the runner never ends the call: its timeout plus grace, or the maximum.
        var timeoutMs = item.TimeoutMs > 0 ? item.TimeoutMs : limitsOptions.Value.MaxTimeoutMs;
        var guardAfter = TimeSpan.FromMilliseconds(timeoutMs) + TimeSpan.FromSeconds(jobsOptions.Value.RunnerGraceSeconds);
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(token);
        guard.CancelAfter(guardAfter);

        ExecResult result;
        try
        {
            result = item switch
            {
                OneShotJobWork oneShot => await WhenRoomAsync(
                    streamed => gateway.RunJobAsync(runner, WithDataKey(WithSecrets(oneShot), dataKey.Current), guardAfter, chunk =>
                    {
                        streamed.Value = true;
                        return output.OnChunkAsync(chunk, CancellationToken.None);
                    }, guard.Token),
                    guard.Token),
                SessionExecutionWork execution => await gateway.ExecAsync(runner, execution.Request, guardAfter, chunk => output.OnChunkAsync(chunk, CancellationToken.None), guard.Token),
                _ => throw new InvalidOperationException($"Unknown work item {item.GetType().Name}."),
            };
        }
        catch (OperationCanceledException) when (guard.IsCancellationRequested && !token.IsCancellationRequested)
        {
            await output.FlushAsync(CancellationToken.None);
            return await store.TryMoveAsync(item.JobId, JobStatus.Timeout, set => SetOutput(set, output, false, false)
                .SetProperty(j => j.Error, "the runner did not end the job within its timeout plus grace; the control plane stopped it"), CancellationToken.None);
        }

        await output.FlushAsync(CancellationToken.None);
        var artifacts = new List<ArtifactInfo>();
        foreach (var artifact in result.Artifacts)
        {
            // Stored redacted — its name too, which the program chose —, so neither the list nor a download holds an
            // injected value; size and digest are then the stored file's.
            var path = item.Redactor.Redact(artifact.Path);
            if (!WorkspacePaths.IsValid(path))
            {
                continue;
            }

            // Stored as ciphertext under the job's data key (the runner encrypted it); size and digest are the plaintext's.
            var stored = ArtifactProtection.Seal(artifact, path, item.Tenant, item.JobId, item.Redactor, await dataKey.GetAsync(CancellationToken.None));
            await objects.PutAsync(ArtifactKeys.For(item.Tenant, item.JobId, path), stored.Ciphertext, CancellationToken.None);
            artifacts.Add(new ArtifactInfo { Path = path, Size = stored.Size, Sha256 = stored.Sha256 });
        }

        await store.AddStoredBytesAsync(item.JobId, artifacts.Sum(a => a.Size), CancellationToken.None);

        var artifactsJson = JsonSerializer.Serialize(artifacts, ControlPlaneJsonContext.Default.ListArtifactInfo);
        JobNetwork? network = null;
        if (result.Network is { } usage)
        {
            network = EgressReport.Sum(usage);
            await EgressReport.AuditAsync(audit, item.Tenant, item.Subject, item.JobId, usage, item.Redactor, CancellationToken.None);
        }

        DateTimeOffset? startedAt = result.StartedAtUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(result.StartedAtUnixMs) : null;
        return await store.TryMoveAsync(item.JobId, result.Status.ToJobStatus(), set =>
        {
            SetOutput(set, output, result.StdoutTruncated, result.StderrTruncated)
                .SetProperty(j => j.Error, FromRunner(item.Redactor.RedactOrNull(result.Error)))
                .SetProperty(j => j.ExitCode, result.HasExitCode ? result.ExitCode : (int?)null)
                .SetProperty(j => j.Signal, string.IsNullOrEmpty(result.Signal) ? null : LogText.Escape(item.Redactor.Redact(result.Signal), MaxSignalChars))
                .SetProperty(j => j.CompileOutput, string.IsNullOrEmpty(result.CompileOutput) ? null : item.Redactor.Redact(result.CompileOutput))
                .SetProperty(j => j.SetupOutput, string.IsNullOrEmpty(result.SetupOutput) ? null : item.Redactor.Redact(result.SetupOutput))
                .SetProperty(j => j.SetupDurationMs, result.SetupMs > 0 || !string.IsNullOrEmpty(result.SetupOutput) ? result.SetupMs : (long?)null)
                .SetProperty(j => j.DurationMs, (long?)result.DurationMs)
                .SetProperty(j => j.CpuMs, result.Usage == null ? null : (long?)result.Usage.CpuMs)
                .SetProperty(j => j.PeakMemoryBytes, result.Usage == null ? null : (long?)result.Usage.PeakMemoryBytes)
                .SetProperty(j => j.ArtifactsJson, artifactsJson);
            if (network is not null)
            {
                set.SetProperty(j => j.EgressConnections, (long?)network.Connections)
                    .SetProperty(j => j.EgressDenied, (long?)network.Denied)
                    .SetProperty(j => j.EgressBytesOut, (long?)network.BytesOut)
                    .SetProperty(j => j.EgressBytesIn, (long?)network.BytesIn);
            }

            if (startedAt is { } runnerStartedAt)
            {
                set.SetProperty(j => j.StartedAt, (DateTimeOffset?)runnerStartedAt);
            }
        }, CancellationToken.None);
    }

    /// <summary>The runner's request with the injected values: a copy, so the work item's own request never holds them.</summary>
    private static RunJobRequest WithSecrets(OneShotJobWork work)
    {
        if (work.InjectedSecrets.Count == 0)
        {
            return work.Request;
        }

        var request = work.Request.Clone();
        request.Secrets.AddRange(SecretResolver.ToRunner(work.InjectedSecrets));
        return request;
    }

    /// <summary>The request with the job's data key, on a copy as well: the queued work item never holds the key.</summary>
    private static RunJobRequest WithDataKey(RunJobRequest request, byte[]? dataKey)
    {
        if (dataKey is null)
        {
            return request;
        }

        var withKey = request.Clone();
        withKey.DataKey = Google.Protobuf.ByteString.CopyFrom(dataKey);
        return withKey;
    }

    /// <summary>
    /// The runner refuses a sandbox while it holds its maximum (the slot this control plane saw free is still being
    /// torn down there, or another replica took it): nothing ran, so the call is made again, briefly later, until the
    /// placement timeout — an accepted job is not failed for a moment's full runner. Never once output arrived
    /// (ResourceExhausted then means something else, and the job ran).
    /// </summary>
    private async Task<ExecResult> WhenRoomAsync(Func<StrongBox<bool>, Task<ExecResult>> call, CancellationToken token)
    {
        var deadline = timeProvider.GetUtcNow() + TimeSpan.FromSeconds(jobsOptions.Value.PlacementTimeoutSeconds);
        var streamed = new StrongBox<bool>();
        while (true)
        {
            try
            {
                return await call(streamed);
            }
            catch (RunnerAtCapacityException) when (!streamed.Value && timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, token);
            }
        }
    }

    private async Task<RunnerState> PlaceAsync(JobWorkItem item, CancellationToken token)
    {
        if (item is SessionExecutionWork exec)
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

    /// <summary>The output itself is already stored, as events, by the collector; the job row keeps only whether it was cut.</summary>
    private static UpdateSettersBuilder<JobEntity> SetOutput(UpdateSettersBuilder<JobEntity> set, OutputCollector output, bool stdoutTruncated, bool stderrTruncated) =>
        set.SetProperty(j => j.StdoutTruncated, output.StdoutCut || stdoutTruncated)
            .SetProperty(j => j.StderrTruncated, output.StderrCut || stderrTruncated);

    /// <summary>Sets the error unless an earlier writer gave one (the first reason wins).</summary>
    private static Action<UpdateSettersBuilder<JobEntity>> Error(string error) => set => set.SetProperty(j => j.Error, j => j.Error ?? error);

    private async Task<JobEntity?> Fail(JobStore store, JobWorkItem item, string reason, OutputCollector? output, string? detail = null)
    {
        // The reason can quote the runner (a gRPC status detail, an agent's error): redacted, then capped and sanitised
        // like its result (in that order, so the cap cannot cut a value in two and keep half).
        reason = FromRunner(item.Redactor.Redact(reason)) ?? "";
        JobsLog.JobFailed(logger, item.JobId, detail is null ? reason : $"{reason} ({item.Redactor.Redact(detail)})");
        return await EndAsync(store, item.JobId, JobStatus.Error, reason, output, firstReasonWins: false);
    }

    /// <summary>Ends the job without a runner result, keeping the output it streamed before.</summary>
    private static async Task<JobEntity?> EndAsync(JobStore store, string jobId, JobStatus status, string error, OutputCollector? output, bool firstReasonWins)
    {
        if (output is null)
        {
            return await store.TryMoveAsync(jobId, status, firstReasonWins ? Error(error) : set => set.SetProperty(j => j.Error, error), CancellationToken.None);
        }

        await output.FlushAsync(CancellationToken.None);
        return await store.TryMoveAsync(jobId, status, set =>
        {
            SetOutput(set, output, false, false);
            if (firstReasonWins)
            {
                Error(error)(set);
            }
            else
            {
                set.SetProperty(j => j.Error, error);
            }
        }, CancellationToken.None);
    }

    /// <summary>
    /// Text a runner (and through it a sandbox's agent) sent, as it is stored and shown: at most 1 KiB, newlines and tabs
    /// kept, every other control character escaped.
    /// </summary>
    private static string? FromRunner(string? text) => string.IsNullOrEmpty(text) ? null : LogText.Multiline(text);

    private static string Lost(RunnerState runner) => $"runner '{runner.Id}' was lost during the job";
}
