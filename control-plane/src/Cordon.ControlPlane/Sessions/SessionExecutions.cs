using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Secrets.Redaction;
using Google.Protobuf;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// <c>POST /v1/sessions/{id}/exec</c> and <c>run_in_session</c>: the policy decides (the tenant's policy may have
/// changed since the session opened), the session becomes busy and the execution is a job admitted to the workers;
/// <see cref="SessionExecutionListener"/> makes it ready again when the job ends.
/// </summary>
internal sealed class SessionExecutions(
    SessionRequestValidator validator,
    SessionStore store,
    JobAdmission admission,
    PolicyGate policy,
    RequestContext context,
    SessionRedaction redaction,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Starts an execution and returns it as a queued job. A denial is a 403, or with <paramref name="storeDenial"/> a
    /// job stored <c>rejected</c> (the session stays as it was).
    /// </summary>
    public async Task<Job> ExecAsync(string sessionId, ExecRequest request, bool storeDenial, CancellationToken cancellationToken)
    {
        validator.Validate(request);
        var jobId = JobIds.NewJobId(timeProvider);
        var open = await store.FindAsync(sessionId, cancellationToken);
        SessionStore.CheckOpen(open);
        var asked = new ResourceLimits
        {
            TimeoutMs = request.TimeoutMs ?? (open.TimeoutMs > 0 ? open.TimeoutMs : null),
            OutputBytes = open.OutputBytes > 0 ? open.OutputBytes : null,
        };
        var decision = await policy.DecideAsync(
            new PolicyRequest(PolicyActions.SessionExec, open.Language, asked, RequestedFeatures.None), jobId, cancellationToken);
        if (!decision.Allowed)
        {
            return storeDenial
                ? await admission.RejectAsync(Work(open, jobId, request, 0, 0, SecretRedactor.None), key: null, PolicyGate.Describe(decision), cancellationToken)
                : throw PolicyGate.Denied(decision);
        }

        // Before the session is marked busy: a redactor that cannot be had here refuses the execution (409) with nothing run.
        var redactor = await redaction.ForAsync(open, cancellationToken);
        var session = await store.MarkBusyAsync(sessionId, jobId, cancellationToken);
        var work = Work(session, jobId, request, decision.Limits!.TimeoutMs ?? 0, decision.Limits.OutputBytes ?? 0, redactor);
        try
        {
            return await admission.AdmitAsync(work, key: null, cancellationToken);
        }
        catch
        {
            // Never stored or never queued: no job will end to release the session, so release it here.
            await store.ReleaseAsync(session.Id, jobId, CancellationToken.None);
            throw;
        }
    }

    private SessionExecutionWork Work(SessionEntity session, string jobId, ExecRequest request, long timeoutMs, long outputBytes, SecretRedactor redactor)
    {
        var exec = new RunnerV1.ExecRequest
        {
            SandboxId = session.SandboxId,
            Mode = request.Code is not null ? RunnerV1.ExecMode.Code : RunnerV1.ExecMode.Command,
            Text = request.Code ?? request.Command!,
            Stdin = ByteString.CopyFrom(Encoding.UTF8.GetBytes(request.Stdin ?? "")),
            TimeoutMs = timeoutMs,
            OutputBytes = outputBytes,
        };
        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            exec.Env[key] = value;
        }

        return new SessionExecutionWork(jobId, session.TenantId, context.Subject, session.Language, timeoutMs, session.Id, session.RunnerId, exec)
        {
            Redactor = redactor,
        };
    }
}
