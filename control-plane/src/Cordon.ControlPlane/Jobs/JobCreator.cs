using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// <c>POST /v1/jobs</c> and <c>run_code</c>: validate, ask the policy, honour the idempotency key, admit. Never
/// touches HTTP.
/// </summary>
internal sealed class JobCreator(
    JobRequestValidator validator,
    RunJobRequestBuilder builder,
    JobIdempotency idempotency,
    JobAdmission admission,
    RequestContext context,
    IPolicyEngine policy,
    IAuditSink audit,
    TimeProvider timeProvider)
{
    /// <summary>Creates the job (or returns the one an earlier request with the same idempotency key made).</summary>
    public async Task<Job> CreateAsync(CreateJobRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        string? requestHash = null;
        if (idempotencyKey is not null)
        {
            (var existing, requestHash) = await idempotency.LookUpAsync(idempotencyKey, request, cancellationToken);
            if (existing is not null)
            {
                return existing;
            }
        }

        var validated = validator.Validate(request);
        var decision = await policy.DecideAsync(
            new PolicyInput(tenant, context.Subject, "job.create", validated.Language, request.Limits,
                request.Network?.Egress ?? [], request.Dependencies ?? [], request.Secrets ?? []),
            cancellationToken);

        var jobId = JobIds.NewJobId(timeProvider);
        var work = new OneShotJobWork(jobId, tenant, context.Subject, validated.Language, validated.Limits.TimeoutMs, builder.Build(validated, tenant, jobId));
        var key = idempotencyKey is null ? null : idempotency.Record(idempotencyKey, requestHash!, jobId);
        Job job;
        try
        {
            job = decision.Allowed
                ? await admission.AdmitAsync(work, key, cancellationToken)
                : await admission.RejectAsync(work, key, decision.Reason, cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent request with the same key won the race; answer with its job.
            return await idempotency.FindAsync(idempotencyKey, requestHash!, cancellationToken)
                ?? throw new ConflictException("A concurrent request with the same Idempotency-Key is being processed; retry.");
        }

        await audit.WriteAsync(new AuditEvent(AuditActions.JobStart, tenant, context.Subject, job.Id,
            decision.Allowed ? "accepted" : "rejected", context.AuthBypassed, decision.Reason), cancellationToken);
        return job;
    }
}
