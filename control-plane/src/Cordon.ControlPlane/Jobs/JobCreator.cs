using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Secrets.Redaction;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// <c>POST /v1/jobs</c> and <c>run_code</c>: validate, ask the policy, honour the idempotency key, admit with the
/// effective limits the policy decided. Never touches HTTP.
/// </summary>
internal sealed class JobCreator(
    JobRequestValidator validator,
    RunJobRequestBuilder builder,
    JobIdempotency idempotency,
    JobAdmission admission,
    RequestContext context,
    PolicyGate policy,
    SecretResolver secrets,
    IAuditSink audit,
    SecretRedactors redactors,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Creates the job (or returns the one an earlier request with the same idempotency key made). A policy denial is a
    /// 403 (<see cref="PolicyDeniedException"/>), or with <paramref name="storeDenial"/> (an asynchronous request: it
    /// learns the outcome from the job) a job stored <c>rejected</c> whose <c>error</c> names the rules.
    /// </summary>
    public async Task<Job> CreateAsync(CreateJobRequest request, string? idempotencyKey, bool storeDenial, CancellationToken cancellationToken)
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
        var jobId = JobIds.NewJobId(timeProvider);
        var decision = await policy.DecideAsync(
            new PolicyRequest(PolicyActions.JobCreate, validated.Language, request.Limits, validated.Features), jobId, cancellationToken);
        if (!decision.Allowed && !storeDenial)
        {
            throw PolicyGate.Denied(decision);
        }

        if (decision.Allowed)
        {
            UnsupportedFeatures.ThrowIfUnenforceable(validated.Features, installsDependencies: true);
            await secrets.EnsureExistAsync(tenant, validated.Features.SecretRequests, cancellationToken);
            validated = validated with { Limits = RequestLimits.ToRunner(decision.Limits!) };
        }

        var work = new OneShotJobWork(jobId, tenant, context.Subject, validated.Language, validated.Limits.TimeoutMs, builder.Build(validated, tenant, jobId, decision.Packages))
        {
            Redactor = decision.Allowed ? await redactors.ForAsync(tenant, jobId, validated.Features.Secrets, cancellationToken) : SecretRedactor.None,
            Secrets = validated.Features.SecretRequests,
        };
        var key = idempotencyKey is null ? null : idempotency.Record(idempotencyKey, requestHash!, jobId);
        Job job;
        try
        {
            job = decision.Allowed
                ? await admission.AdmitAsync(work, key, cancellationToken)
                : await admission.RejectAsync(work, key, PolicyGate.Describe(decision), cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent request with the same key won the race; answer with its job.
            return await idempotency.FindAsync(idempotencyKey, requestHash!, cancellationToken)
                ?? throw new ConflictException("A concurrent request with the same Idempotency-Key is being processed; retry.");
        }

        await audit.WriteAsync(new AuditEvent(AuditActions.JobStart, tenant, context.Subject, job.Id,
            decision.Allowed ? "accepted" : "rejected", context.AuthBypassed, "policyVersion=" + decision.PolicyVersion), cancellationToken);
        return job;
    }
}
