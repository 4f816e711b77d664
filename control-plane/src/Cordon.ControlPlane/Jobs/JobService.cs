using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// Jobs for the current tenant: create (validate, policy, idempotency, admission), read, list, wait, cancel, events
/// and artifacts. The HTTP endpoints and the MCP tools both call this; it never touches HTTP.
/// </summary>
internal sealed class JobService(
    CordonDbContext db,
    JobStore store,
    RequestContext context,
    JobRequestValidator validator,
    JobQueue queue,
    JobCancellations cancellations,
    JobEventHub hub,
    IPolicyEngine policy,
    IAuditSink audit,
    IObjectStore objects,
    TimeProvider timeProvider)
{
    private const int MaxPageSize = 200;

    /// <summary>Creates the job (or returns the one an earlier request with the same idempotency key made).</summary>
    public async Task<Job> CreateAsync(CreateJobRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        string? requestHash = null;
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > 256)
            {
                throw RequestValidationException.For("Idempotency-Key", "The Idempotency-Key header must be 1 to 256 characters.");
            }

            requestHash = Hash(request);
            if (await FindByIdempotencyKeyAsync(idempotencyKey, requestHash, cancellationToken) is { } existing)
            {
                return existing;
            }
        }

        var prepared = validator.Prepare(request);
        var decision = await policy.DecideAsync(
            new PolicyInput(tenant, context.Subject, "job.create", prepared.Language, request.Limits,
                request.Network?.Egress ?? [], request.Dependencies ?? [], request.Secrets ?? []),
            cancellationToken);

        using var reservation = decision.Allowed ? queue.Reserve() : null;
        var job = new JobEntity
        {
            Id = JobIds.NewJobId(timeProvider),
            TenantId = tenant,
            Language = prepared.Language,
            Status = JobStatus.Queued,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        prepared.Request.Tenant = tenant;
        prepared.Request.JobId = job.Id;

        if (idempotencyKey is not null)
        {
            db.IdempotencyKeys.Add(new IdempotencyKeyEntity
            {
                TenantId = tenant,
                Key = idempotencyKey,
                RequestHash = requestHash!,
                JobId = job.Id,
                CreatedAt = job.CreatedAt,
            });
        }

        try
        {
            await store.AddAsync(job, cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent request with the same key won the race; answer with its job.
            db.ChangeTracker.Clear();
            return await FindByIdempotencyKeyAsync(idempotencyKey, requestHash!, cancellationToken)
                ?? throw new ConflictException("A concurrent request with the same Idempotency-Key is being processed; retry.");
        }

        await audit.WriteAsync(new AuditEvent(AuditActions.JobStart, tenant, context.Subject, job.Id,
            decision.Allowed ? "accepted" : "rejected", context.AuthBypassed, decision.Reason), cancellationToken);
        if (!decision.Allowed)
        {
            var rejected = await store.TryMoveAsync(job.Id, JobStatus.Rejected, j => j.Error = decision.Reason, cancellationToken);
            return (rejected ?? job).ToContract();
        }

        cancellations.Register(job.Id);
        reservation!.Enqueue(new JobWorkItem(job.Id, tenant, context.Subject, prepared.Language, prepared.TimeoutMs, prepared.Request, null));
        return job.ToContract();
    }

    /// <summary>Stores a session execution as a job and queues it; the session has already been marked busy.</summary>
    public async Task<Job> EnqueueExecutionAsync(string jobId, string language, long timeoutMs, SessionExecution execution, CancellationToken cancellationToken)
    {
        using var reservation = queue.Reserve();
        var job = new JobEntity
        {
            Id = jobId,
            TenantId = context.RequiredTenant,
            SessionId = execution.SessionId,
            Language = language,
            Status = JobStatus.Queued,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        await store.AddAsync(job, cancellationToken);
        cancellations.Register(job.Id);
        reservation.Enqueue(new JobWorkItem(job.Id, job.TenantId, context.Subject, language, timeoutMs, null, execution));
        return job.ToContract();
    }

    public async Task<Job> GetAsync(string jobId, CancellationToken cancellationToken) =>
        (await store.FindAsync(jobId, cancellationToken) ?? throw NotFound(jobId)).ToContract();

    /// <summary>Waits until the job has finished. Cancelling the wait leaves the job running.</summary>
    public async Task<Job> WaitAsync(string jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pulse = hub.NextPulse(jobId);
            var job = await GetAsync(jobId, cancellationToken);
            if (job.Status.IsTerminal())
            {
                return job;
            }

            // The timeout covers a job finished by another replica or process, which this hub does not hear of.
            await pulse.WaitAsync(TimeSpan.FromSeconds(2), timeProvider, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async Task<JobPage> ListAsync(string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        JobStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (JobStatusExtensions.TryParseWireName(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", $"Unknown status '{status}'.");
            }
        }

        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        string? afterId = null;
        if (!string.IsNullOrEmpty(cursor) && !Cursors.TryDecode(cursor, out afterId))
        {
            errors.Add("cursor", "The cursor is not one this server handed out.");
        }

        errors.ThrowIfAny();
        var (items, next) = await store.ListAsync(wanted, limit ?? 50, afterId, cancellationToken);
        return new JobPage { Items = [.. items.Select(j => j.ToContract())], Next = next is null ? null : Cursors.Encode(next) };
    }

    /// <summary>Cancels a queued or running job; a finished job is returned unchanged.</summary>
    public async Task<Job> CancelAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await store.FindAsync(jobId, cancellationToken) ?? throw NotFound(jobId);
        if (job.Status.IsTerminal())
        {
            return job.ToContract();
        }

        if (job.Status == JobStatus.Queued)
        {
            cancellations.Cancel(jobId, CancelReason.Client);
            if (await store.TryMoveAsync(jobId, JobStatus.Cancelled, j => j.Error = "cancelled before it started", cancellationToken) is { } cancelled)
            {
                return cancelled.ToContract();
            }
        }

        if (!cancellations.Cancel(jobId, CancelReason.Client))
        {
            // Not driven by this process (a restart or another replica); nothing can stop it from here.
            throw new ConflictException($"Job '{jobId}' is running on another control-plane process and cannot be cancelled from this one.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            return await WaitAsync(jobId, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await GetAsync(jobId, cancellationToken);
        }
    }

    /// <summary>
    /// The job's events after <paramref name="lastEventId"/>, then live ones as they are stored, ending with the
    /// result event. Works the same during and after the job.
    /// </summary>
    public async IAsyncEnumerable<JobEventEntity> ReadEventsAsync(string jobId, long lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = lastEventId;
        while (true)
        {
            var pulse = hub.NextPulse(jobId);
            var events = await store.EventsAfterAsync(jobId, after, 500, cancellationToken);
            foreach (var item in events)
            {
                after = item.Id;
                yield return item;
                if (item.Kind == JobEventKinds.Result)
                {
                    yield break;
                }
            }

            if (events.Count == 0)
            {
                var job = await store.FindAsync(jobId, cancellationToken);
                if (job is null || job.Status.IsTerminal())
                {
                    // Finished without a result event after this point (the client already has it, or an old job).
                    yield break;
                }

                await pulse.WaitAsync(TimeSpan.FromSeconds(2), timeProvider, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>Checks the job exists for this tenant (before a response starts streaming).</summary>
    public async Task EnsureExistsAsync(string jobId, CancellationToken cancellationToken)
    {
        if (!await db.Jobs.AnyAsync(j => j.TenantId == context.RequiredTenant && j.Id == jobId, cancellationToken))
        {
            throw NotFound(jobId);
        }
    }

    public async Task<(Stream Content, ArtifactInfo Info)> OpenArtifactAsync(string jobId, string path, CancellationToken cancellationToken)
    {
        var job = await GetAsync(jobId, cancellationToken);
        var artifact = job.Artifacts.FirstOrDefault(a => a.Path == path)
            ?? throw new NotFoundException($"Job '{jobId}' has no artifact '{path}'.");
        var stream = await objects.OpenReadAsync(ArtifactKeys.For(context.RequiredTenant, jobId, artifact.Path), cancellationToken)
            ?? throw new NotFoundException($"The content of artifact '{path}' of job '{jobId}' is gone.");
        return (stream, artifact);
    }

    private async Task<Job?> FindByIdempotencyKeyAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var existing = await db.IdempotencyKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.TenantId == tenant && k.Key == key, cancellationToken);
        if (existing is null)
        {
            return null;
        }

        if (existing.RequestHash != requestHash)
        {
            throw new ConflictException($"Idempotency-Key '{key}' was already used with a different request body (job {existing.JobId}).");
        }

        return await GetAsync(existing.JobId, cancellationToken);
    }

    private static string Hash(CreateJobRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, CordonJsonContext.Default.CreateJobRequest))));

    private static NotFoundException NotFound(string jobId) => new($"There is no job '{jobId}'.");
}
