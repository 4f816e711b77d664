using System.Text;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Google.Protobuf;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// <c>POST /v1/sessions/{id}/exec</c> and <c>run_in_session</c>: the session becomes busy and the execution is a
/// job admitted to the workers; <see cref="SessionExecutionListener"/> makes it ready again when the job ends.
/// </summary>
internal sealed class SessionExecutions(
    SessionRequestValidator validator,
    SessionStore store,
    JobAdmission admission,
    RequestContext context,
    TimeProvider timeProvider)
{
    /// <summary>Starts an execution and returns it as a queued job.</summary>
    public async Task<Job> ExecAsync(string sessionId, ExecRequest request, CancellationToken cancellationToken)
    {
        validator.Validate(request);
        var jobId = JobIds.NewJobId(timeProvider);
        var session = await store.MarkBusyAsync(sessionId, jobId, cancellationToken);
        var timeoutMs = request.TimeoutMs ?? session.TimeoutMs;
        var exec = new RunnerV1.ExecRequest
        {
            SandboxId = session.SandboxId,
            Mode = request.Code is not null ? RunnerV1.ExecMode.Code : RunnerV1.ExecMode.Command,
            Text = request.Code ?? request.Command!,
            Stdin = ByteString.CopyFrom(Encoding.UTF8.GetBytes(request.Stdin ?? "")),
            TimeoutMs = timeoutMs,
            OutputBytes = session.OutputBytes,
        };
        foreach (var (key, value) in request.Env ?? new Dictionary<string, string>())
        {
            exec.Env[key] = value;
        }

        try
        {
            return await admission.AdmitAsync(
                new SessionExecutionWork(jobId, session.TenantId, context.Subject, session.Language, timeoutMs, session.Id, session.RunnerId, exec),
                key: null,
                cancellationToken);
        }
        catch
        {
            // Never stored or never queued: no job will end to release the session, so release it here.
            await store.ReleaseAsync(session.Id, jobId, CancellationToken.None);
            throw;
        }
    }
}
