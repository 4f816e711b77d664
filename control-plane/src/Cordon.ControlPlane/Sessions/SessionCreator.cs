using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Quotas;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Secrets;
using Cordon.ControlPlane.Secrets.Redaction;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// <c>POST /v1/sessions</c> and <c>create_session</c>: validate, ask the policy, place the sandbox on a runner and
/// store the routing record. Never touches HTTP.
/// </summary>
internal sealed class SessionCreator(
    SessionRequestValidator validator,
    SessionStore store,
    RequestContext context,
    RunnerRegistry registry,
    RunnerGateway gateway,
    PolicyGate policy,
    SecretResolver secrets,
    SessionQuotas quotas,
    IAuditSink audit,
    SecretRedactors redactors,
    SessionRedactors sessionRedactors,
    TimeProvider timeProvider,
    ILogger<SessionCreator> logger)
{
    public async Task<Session> CreateAsync(CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var validated = validator.Validate(request);
        var id = JobIds.NewSessionId(timeProvider);
        var decision = await policy.DecideAsync(
            new PolicyRequest(PolicyActions.SessionCreate, validated.Language, request.Limits, validated.Features), id, cancellationToken);
        if (!decision.Allowed)
        {
            throw PolicyGate.Denied(decision);
        }

        UnsupportedFeatures.ThrowIfUnenforceable(validated.Features, installsDependencies: false);
        validated = validated with { Limits = RequestLimits.ToRunner(decision.Limits!) };
        await using var slot = await quotas.AcquireAsync(tenant, id, cancellationToken);
        var redactor = await redactors.ForAsync(tenant, id, validated.Features.Secrets, cancellationToken);
        var runner = registry.Place(validated.Language)
            ?? throw new NoRunnerException($"No runner with the '{validated.Language}' runtime is up.");
        var create = new RunnerV1.CreateSandboxRequest
        {
            Tenant = tenant,
            Language = validated.Language,
            Limits = validated.Limits,
            OwnerId = id,
        };
        create.Egress.AddRange(validated.Features.Egress);
        await secrets.EnsureExistAsync(tenant, validated.Features.SecretRequests, cancellationToken);
        // The one place a session's secret values are known: read now, given to its sandbox, kept nowhere.
        var injected = await secrets.ResolveAsync(tenant, context.Subject, id, validated.Features.SecretRequests, cancellationToken);
        create.Secrets.AddRange(SecretResolver.ToRunner(injected));
        if (injected.Count > 0)
        {
            // Exactly what the sandbox is given is what its output, files and executions are cleaned of.
            redactor = SecretResolver.RedactorFor(injected);
        }

        var sandbox = await gateway.CreateSandboxAsync(runner, create, cancellationToken);

        var now = timeProvider.GetUtcNow();
        var session = new SessionEntity
        {
            Id = id,
            TenantId = tenant,
            Language = string.IsNullOrEmpty(sandbox.Language) ? validated.Language : sandbox.Language,
            Status = SessionStatus.Ready,
            RunnerId = runner.Id,
            SandboxId = sandbox.SandboxId,
            TimeoutMs = validated.Limits.TimeoutMs,
            OutputBytes = validated.Limits.OutputBytes,
            IdleTimeoutSec = validated.IdleTimeoutSec,
            TtlSec = validated.TtlSec,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(validated.TtlSec),
            LastActiveAt = now,
            SecretRefsJson = SessionRedaction.RefsOf(injected),
        };
        // Before the session can be reached: its first file read or execution is redacted already.
        sessionRedactors.Attach(id, redactor);
        try
        {
            await store.AddAsync(session, cancellationToken);
            slot.Keep();
            quotas.Stored(tenant, id);
        }
        catch
        {
            // Never leak a sandbox nobody can reach.
            sessionRedactors.Remove(id);
            await gateway.DestroySandboxAsync(runner, sandbox.SandboxId, CancellationToken.None);
            throw;
        }

        SessionsLog.SessionCreated(logger, id, tenant, runner.Id);
        await audit.WriteAsync(new AuditEvent(AuditActions.SessionStart, tenant, context.Subject, id, "created", context.AuthBypassed), cancellationToken);
        return session.ToContract();
    }
}
