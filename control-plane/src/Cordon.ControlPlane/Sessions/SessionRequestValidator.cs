using Cordon.Contracts.Sessions;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Runtimes;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Sessions;

/// <summary>Checks session requests (create, exec) against the runtimes, <c>Cordon:Limits</c> and <c>Cordon:Sessions</c>.</summary>
internal sealed class SessionRequestValidator(RuntimeCatalog runtimes, RequestLimits limits, IOptions<SessionsOptions> sessionsOptions)
{
    private SessionsOptions Options => sessionsOptions.Value;

    public ValidatedSession Validate(CreateSessionRequest request)
    {
        var errors = new ValidationErrors();
        var runtime = RequestedLanguage.Resolve(runtimes, request.Language, errors);
        var checkedLimits = limits.CheckLimits(request.Limits, "limits", errors);
        var features = RequestedFeatures.Parse(runtime?.Language, request.Network, request.Dependencies, request.Secrets, errors);
        if (request.IdleTimeoutSec is { } idle && (idle < 1 || idle > Options.MaxIdleTimeoutSec))
        {
            errors.Add("idleTimeoutSec", $"idleTimeoutSec must be between 1 and {Options.MaxIdleTimeoutSec}.");
        }

        if (request.TtlSec is { } ttl && (ttl < 1 || ttl > Options.MaxTtlSec))
        {
            errors.Add("ttlSec", $"ttlSec must be between 1 and {Options.MaxTtlSec}.");
        }

        errors.ThrowIfAny();
        return new ValidatedSession(runtime!.Language, checkedLimits,
            request.IdleTimeoutSec ?? Options.DefaultIdleTimeoutSec, request.TtlSec ?? Options.DefaultTtlSec, features);
    }

    public void Validate(ExecRequest request)
    {
        var errors = new ValidationErrors();
        if ((request.Command is null) == (request.Code is null))
        {
            errors.Add("command", "Give exactly one of 'command' (a shell command) or 'code' (code in the session's language).");
        }

        limits.CheckTimeout(request.TimeoutMs, "timeoutMs", errors);
        limits.CheckProcessInput(null, request.Stdin, request.Env, errors);
        errors.ThrowIfAny();
    }
}
