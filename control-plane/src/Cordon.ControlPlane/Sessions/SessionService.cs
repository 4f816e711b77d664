using System.Text;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Scheduling;
using Cordon.ControlPlane.Storage;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Sessions;

/// <summary>
/// Sessions of the current tenant: create, execute, files, get, delete. The HTTP endpoints and the MCP tools both
/// call this; it never touches HTTP.
/// </summary>
internal sealed class SessionService(
    CordonDbContext db,
    RequestContext context,
    JobRequestValidator validator,
    JobService jobs,
    RunnerRegistry registry,
    RunnerGateway gateway,
    SessionTerminator terminator,
    IPolicyEngine policy,
    IAuditSink audit,
    IOptions<SessionsOptions> sessionsOptions,
    IOptions<LimitsOptions> limitsOptions,
    TimeProvider timeProvider,
    ILogger<SessionService> logger)
{
    private SessionsOptions Options => sessionsOptions.Value;

    public async Task<Session> CreateAsync(CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var errors = new ValidationErrors();
        var runtime = validator.ResolveLanguage(request.Language, errors);
        var limits = validator.ValidateLimits(request.Limits, "limits", errors);
        JobRequestValidator.CheckUnsupported(request.Network, request.Dependencies, request.Secrets, errors);
        if (request.IdleTimeoutSec is { } idle && (idle < 1 || idle > Options.MaxIdleTimeoutSec))
        {
            errors.Add("idleTimeoutSec", $"idleTimeoutSec must be between 1 and {Options.MaxIdleTimeoutSec}.");
        }

        if (request.TtlSec is { } ttl && (ttl < 1 || ttl > Options.MaxTtlSec))
        {
            errors.Add("ttlSec", $"ttlSec must be between 1 and {Options.MaxTtlSec}.");
        }

        errors.ThrowIfAny();
        var decision = await policy.DecideAsync(
            new PolicyInput(tenant, context.Subject, "session.create", runtime!.Language, request.Limits,
                request.Network?.Egress ?? [], request.Dependencies ?? [], request.Secrets ?? []),
            cancellationToken);
        if (!decision.Allowed)
        {
            throw new PolicyDeniedException(decision.Reason ?? "The tenant's policy does not allow this session.");
        }

        var runner = registry.Place(runtime.Language)
            ?? throw new NoRunnerException($"No runner with the '{runtime.Language}' runtime is up.");
        var id = JobIds.NewSessionId(timeProvider);
        var sandbox = await gateway.CreateSandboxAsync(runner, new RunnerV1.CreateSandboxRequest
        {
            Tenant = tenant,
            Language = runtime.Language,
            Limits = limits,
            OwnerId = id,
        }, cancellationToken);

        var now = timeProvider.GetUtcNow();
        var ttlSec = request.TtlSec ?? Options.DefaultTtlSec;
        var session = new SessionEntity
        {
            Id = id,
            TenantId = tenant,
            Language = string.IsNullOrEmpty(sandbox.Language) ? runtime.Language : sandbox.Language,
            Status = SessionStatus.Ready,
            RunnerId = runner.Id,
            SandboxId = sandbox.SandboxId,
            TimeoutMs = limits.TimeoutMs,
            OutputBytes = limits.OutputBytes,
            IdleTimeoutSec = request.IdleTimeoutSec ?? Options.DefaultIdleTimeoutSec,
            TtlSec = ttlSec,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(ttlSec),
            LastActiveAt = now,
        };
        db.Sessions.Add(session);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            // Never leak a sandbox nobody can reach.
            await gateway.DestroySandboxAsync(runner, sandbox.SandboxId, CancellationToken.None);
            throw;
        }

        SessionsLog.SessionCreated(logger, id, tenant, runner.Id);
        await audit.WriteAsync(new AuditEvent(AuditActions.SessionStart, tenant, context.Subject, id, "created", context.AuthBypassed), cancellationToken);
        return session.ToContract();
    }

    public async Task<Session> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await FindAsync(sessionId, cancellationToken);
        // The worker releases the session a moment after storing the execution's result; a client that already has
        // the result must not see "busy".
        if (session.Status == SessionStatus.Busy && await ExecutionFinishedAsync(session.CurrentJobId, cancellationToken))
        {
            session.Status = SessionStatus.Ready;
        }

        return session.ToContract();
    }

    /// <summary>Starts an execution (the session becomes busy until it ends) and returns it as a queued job.</summary>
    public async Task<Job> ExecAsync(string sessionId, ExecRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if ((request.Command is null) == (request.Code is null))
        {
            errors.Add("command", "Give exactly one of 'command' (a shell command) or 'code' (code in the session's language).");
        }

        if (request.TimeoutMs is { } t && (t < 1 || t > limitsOptions.Value.MaxTimeoutMs))
        {
            errors.Add("timeoutMs", $"timeoutMs must be between 1 and {limitsOptions.Value.MaxTimeoutMs}.");
        }

        validator.CheckCommon(null, request.Stdin, request.Env, errors);
        errors.ThrowIfAny();

        var jobId = JobIds.NewJobId(timeProvider);
        var session = await MarkBusyAsync(sessionId, jobId, cancellationToken);
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
            return await jobs.EnqueueExecutionAsync(jobId, session.Language, timeoutMs, new SessionExecution(
                session.Id, session.RunnerId, exec,
                (services, ct) => terminator.ReleaseAsync(services.GetRequiredService<CordonDbContext>(), session.Id, jobId, ct)), cancellationToken);
        }
        catch
        {
            await terminator.ReleaseAsync(db, session.Id, jobId, CancellationToken.None);
            throw;
        }
    }

    public async Task WriteFileAsync(string sessionId, string path, Stream content, CancellationToken cancellationToken)
    {
        path = CheckPath(path);
        var session = await TouchAsync(sessionId, cancellationToken);
        var bytes = await ReadBoundedAsync(content, Options.MaxFileBytes, cancellationToken);
        var request = new RunnerV1.WriteFilesRequest { SandboxId = session.SandboxId };
        request.Files.Add(new RunnerV1.File { Path = path, Content = ByteString.CopyFrom(bytes) });
        await gateway.WriteFilesAsync(Runner(session), request, cancellationToken);
    }

    public async Task<byte[]> ReadFileAsync(string sessionId, string path, CancellationToken cancellationToken)
    {
        path = CheckPath(path);
        var session = await TouchAsync(sessionId, cancellationToken);
        var reply = await gateway.ReadFileAsync(Runner(session), new RunnerV1.ReadFileRequest
        {
            SandboxId = session.SandboxId,
            Path = path,
            MaxBytes = Options.MaxFileBytes,
        }, cancellationToken);
        return reply.Content.ToByteArray();
    }

    public async Task<IReadOnlyList<WorkspaceFile>> ListFilesAsync(string sessionId, string? path, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(path))
        {
            path = CheckPath(path);
        }

        var session = await TouchAsync(sessionId, cancellationToken);
        var reply = await gateway.ListFilesAsync(Runner(session), new RunnerV1.ListFilesRequest { SandboxId = session.SandboxId, Path = path ?? "" }, cancellationToken);
        return [.. reply.Entries.Select(e => new WorkspaceFile
        {
            Path = e.Path,
            Size = e.Size,
            IsDirectory = e.IsDirectory,
            ModifiedAt = DateTimeOffset.FromUnixTimeMilliseconds(e.ModifiedAtUnixMs),
        })];
    }

    public async Task DeleteFileAsync(string sessionId, string path, CancellationToken cancellationToken)
    {
        path = CheckPath(path);
        var session = await TouchAsync(sessionId, cancellationToken);
        await gateway.DeleteFileAsync(Runner(session), new RunnerV1.DeleteFileRequest { SandboxId = session.SandboxId, Path = path }, cancellationToken);
    }

    /// <summary>Closes the session: the sandbox is destroyed and the workspace wiped. An ended session stays ended.</summary>
    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await FindAsync(sessionId, cancellationToken);
        if (session.Status != SessionStatus.Ended)
        {
            await terminator.EndAsync(session.Id, SessionEndReason.Closed, destroySandbox: true, "closed by the client", cancellationToken);
        }
    }

    private async Task<SessionEntity> MarkBusyAsync(string sessionId, string jobId, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        // A few attempts: the previous execution's release may be saving the same row right now.
        for (var attempt = 0; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var session = await db.Sessions.FirstOrDefaultAsync(s => s.TenantId == tenant && s.Id == sessionId, cancellationToken)
                ?? throw NotFound(sessionId);
            CheckOpen(session);
            if (session.Status == SessionStatus.Busy && !await ExecutionFinishedAsync(session.CurrentJobId, cancellationToken))
            {
                throw new ConflictException($"Session '{sessionId}' is busy with execution {session.CurrentJobId}; wait for it to finish.");
            }

            session.Status = SessionStatus.Busy;
            session.CurrentJobId = jobId;
            session.LastActiveAt = timeProvider.GetUtcNow();
            session.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return session;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 4)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * (attempt + 1)), cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                throw new ConflictException($"Session '{sessionId}' changed while starting the execution (another execution, or it ended); retry.");
            }
        }
    }

    /// <summary>
    /// A session stays busy until its execution's worker releases it, a moment after the job's final status is
    /// stored; a client that saw the result may already send the next execution, which is fine.
    /// </summary>
    private async Task<bool> ExecutionFinishedAsync(string? jobId, CancellationToken cancellationToken)
    {
        if (jobId is null)
        {
            return true;
        }

        var tenant = context.RequiredTenant;
        var status = await db.Jobs.Where(j => j.TenantId == tenant && j.Id == jobId).Select(j => (JobStatus?)j.Status).FirstOrDefaultAsync(cancellationToken);
        return status is null || status.Value.IsTerminal();
    }

    private async Task<SessionEntity> TouchAsync(string sessionId, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.TenantId == tenant && s.Id == sessionId, cancellationToken)
            ?? throw NotFound(sessionId);
        CheckOpen(session);
        var now = timeProvider.GetUtcNow();
        await db.Sessions
            .Where(s => s.TenantId == tenant && s.Id == sessionId && s.Status != SessionStatus.Ended)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.LastActiveAt, now), cancellationToken);
        return session;
    }

    private async Task<SessionEntity> FindAsync(string sessionId, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        return await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == tenant && s.Id == sessionId, cancellationToken)
            ?? throw NotFound(sessionId);
    }

    private RunnerState Runner(SessionEntity session)
    {
        var runner = registry.Find(session.RunnerId);
        return runner is { IsUp: true } ? runner : throw new RunnerUnavailableException(session.RunnerId, $"The runner '{session.RunnerId}' holding the session is down.");
    }

    private static void CheckOpen(SessionEntity session)
    {
        if (session.Status == SessionStatus.Ended)
        {
            throw new ConflictException($"Session '{session.Id}' has ended ({session.EndReason}).");
        }
    }

    /// <summary>
    /// Validates a workspace path and returns it. A catch-all route value keeps escaped slashes (<c>..%2F..%2Fetc</c>),
    /// so the path is unescaped first: what is checked is what the runner would see.
    /// </summary>
    private static string CheckPath(string path)
    {
        var unescaped = Uri.UnescapeDataString(path);
        if (WorkspacePaths.Problem(unescaped) is { } problem)
        {
            throw RequestValidationException.For("path", problem);
        }

        return unescaped;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream content, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new PayloadTooLargeException($"The file is larger than {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static NotFoundException NotFound(string sessionId) => new($"There is no session '{sessionId}'.");
}
