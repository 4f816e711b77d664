using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Audit;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Observability;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;
using Cordon.ControlPlane.Runtimes;
using Microsoft.Extensions.Options;
using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// The one way to a policy decision: builds the full input (principal, request, the service's runtimes and
/// ceilings), asks the configured <see cref="IPolicyEngine"/> (an engine that throws denies), and audits every decision
/// with the policy's version hash. Jobs, sessions and executions — REST and MCP alike — come through here.
/// </summary>
internal sealed partial class PolicyGate(
    IPolicyEngine engine,
    RuntimeCatalog runtimes,
    RequestLimits requestLimits,
    RequestContext context,
    IAuditSink audit,
    ControlPlaneMetrics metrics,
    IOptions<PolicyOptions> options,
    ILogger<PolicyGate> logger)
{
    public async Task<PolicyDecision> DecideAsync(PolicyRequest request, string resourceId, CancellationToken cancellationToken)
    {
        var input = new PolicyInput
        {
            Action = request.Action,
            Principal = new PolicyPrincipal { Subject = context.Subject, Tenant = context.RequiredTenant, Scopes = [.. context.Scopes.Order(StringComparer.Ordinal)] },
            Runtime = request.Language,
            Limits = request.Limits,
            Network = new PolicyNetwork { Egress = request.Features.Egress },
            Dependencies = request.Features.Dependencies,
            Secrets = request.Features.Secrets,
            Service = Service(),
        };

        PolicyDecision decision;
        try
        {
            decision = await engine.DecideAsync(input, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEngineFailed(logger, exception, request.Action, input.Principal.Tenant);
            decision = PolicyDecision.Deny("unavailable", new PolicyReason(PolicyRules.PolicyUnavailable,
                "The policy engine failed, so the request is refused; retry later or tell the operator."));
        }

        metrics.PolicyDecided(request.Action, decision);
        await audit.WriteAsync(new AuditEvent(AuditActions.PolicyDecision, input.Principal.Tenant, input.Principal.Subject, resourceId,
            decision.Allowed ? "allowed" : "denied", context.AuthBypassed,
            $"action={request.Action} runtime={request.Language} policyVersion={decision.PolicyVersion} rules={string.Join(',', decision.RuleIds)}"),
            cancellationToken);
        return decision;
    }

    /// <summary>The 403 for a denial: the rule ids and the sentences that say what to change.</summary>
    public static PolicyDeniedException Denied(PolicyDecision decision) =>
        new(Describe(decision), decision.RuleIds, decision.PolicyVersion);

    /// <summary>"rule runtime.denied: …" for each denying rule: the <c>error</c> of a rejected job and the 403's detail.</summary>
    public static string Describe(PolicyDecision decision) =>
        "Denied by policy: " + string.Join(" ", decision.Reasons.Select(r => $"[rule {r.Rule}] {r.Message}"));

    private PolicyService Service()
    {
        var fallback = options.Value.FallbackDefaultLimits;
        var max = requestLimits.Max;
        return new PolicyService
        {
            Runtimes = runtimes.Registered().ToDictionary(
                r => r.Language,
                r => new PolicyRuntime { DefaultLimits = Defaults(r.DefaultLimits, fallback) },
                StringComparer.Ordinal),
            MaxLimits = new ResourceLimits
            {
                TimeoutMs = max.MaxTimeoutMs,
                MemoryMb = max.MaxMemoryMb,
                Cpus = max.MaxCpus,
                Pids = max.MaxPids,
                OutputBytes = max.MaxOutputBytes,
                DiskMb = max.MaxDiskMb,
            },
        };
    }

    private static ResourceLimits Defaults(RunnerV1.Limits? reported, ResourceLimits fallback) => new()
    {
        TimeoutMs = reported?.TimeoutMs > 0 ? reported.TimeoutMs : fallback.TimeoutMs,
        MemoryMb = reported?.MemoryMb > 0 ? reported.MemoryMb : fallback.MemoryMb,
        Cpus = reported?.Cpus > 0 ? reported.Cpus : fallback.Cpus,
        Pids = reported?.Pids > 0 ? reported.Pids : fallback.Pids,
        OutputBytes = reported?.OutputBytes > 0 ? reported.OutputBytes : fallback.OutputBytes,
        DiskMb = reported?.DiskMb > 0 ? reported.DiskMb : fallback.DiskMb,
    };

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Policy engine failed deciding {Action} for tenant {Tenant}; denied")]
    private static partial void LogEngineFailed(ILogger logger, Exception exception, string action, string tenant);
}
