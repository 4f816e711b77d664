using System.Text.Json;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Requests;

namespace Cordon.ControlPlane.Policy;

/// <summary>The built-in engine: the tenant's stored document (or the strict default <c>{}</c>) through <see cref="PolicyEvaluator"/>.</summary>
internal sealed class BuiltInPolicyEngine(TenantPolicyStore store) : IPolicyEngine
{
    // A stored document was valid under the ceilings of its day; the evaluator clamps to today's, so it is read without them.
    internal static readonly LimitsOptions NoCeilings = new()
    {
        MaxTimeoutMs = long.MaxValue,
        MaxMemoryMb = int.MaxValue,
        MaxCpus = double.MaxValue,
        MaxPids = int.MaxValue,
        MaxOutputBytes = long.MaxValue,
        MaxDiskMb = int.MaxValue,
    };

    public async ValueTask<PolicyDecision> DecideAsync(PolicyInput input, CancellationToken cancellationToken)
    {
        var stored = await store.FindAsync(input.Principal.Tenant, cancellationToken);
        if (stored is null)
        {
            return PolicyEvaluator.Evaluate(PolicyDocument.Empty, TenantPolicyStore.DefaultVersion, input);
        }

        using var json = JsonDocument.Parse(stored.Document);
        var errors = new ValidationErrors();
        var document = PolicyDocumentParser.Parse(json.RootElement, NoCeilings, errors);
        return document is null
            ? PolicyDecision.Deny(stored.Version, new PolicyReason(PolicyRules.PolicyUnavailable,
                $"Tenant '{input.Principal.Tenant}''s stored policy can no longer be read; an administrator must set it again (PUT /v1/admin/tenants/{input.Principal.Tenant}/policy)."))
            : PolicyEvaluator.Evaluate(document, stored.Version, input);
    }
}
