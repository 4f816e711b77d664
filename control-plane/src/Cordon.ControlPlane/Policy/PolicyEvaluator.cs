using System.Globalization;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// The built-in engine's rules as one pure function of (document, input): runtime allowed, limits clamped to the
/// maxima with defaults filled in, every egress destination, dependency and secret on its allowlist. A denial lists
/// every rule that failed, not only the first.
/// </summary>
internal static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(PolicyDocument document, string version, PolicyInput input)
    {
        var tenant = input.Principal.Tenant;
        var reasons = new List<PolicyReason>();
        var denials = new List<PolicyReason>();
        RuntimePolicy? runtime = null;
        if (!input.Service.Runtimes.ContainsKey(input.Runtime))
        {
            denials.Add(new(PolicyRules.RuntimeDenied, $"Runtime '{input.Runtime}' is not registered on this service (see GET /v1/runtimes)."));
        }
        else if (document.Runtimes is not null && !document.Runtimes.TryGetValue(input.Runtime, out runtime))
        {
            var allowed = document.Runtimes.Keys.Order(StringComparer.Ordinal).ToList();
            denials.Add(new(PolicyRules.RuntimeDenied,
                $"Tenant '{tenant}' may not use runtime '{input.Runtime}'; its policy allows {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}. "
                + "Use one of those, or ask an administrator to add it to the tenant's policy (runtimes)."));
        }
        else
        {
            reasons.Add(new(PolicyRules.RuntimeAllowed, $"Runtime '{input.Runtime}' is allowed."));
        }

        var egress = input.EgressOrEmpty;
        var deniedHosts = egress.Where(d => !EgressAllowed(document, d)).ToList();
        if (deniedHosts.Count > 0)
        {
            denials.Add(new(PolicyRules.EgressDenied,
                $"Network access to {string.Join(", ", deniedHosts)} is not in tenant '{tenant}''s egress allowlist"
                + (document.Egress.Count == 0 ? " (the policy allows no network access)" : $" ({string.Join(", ", document.Egress)})")
                + ". Remove it from network.egress, or ask an administrator to add it to the tenant's policy (egress)."));
        }
        else if (egress.Count > 0)
        {
            reasons.Add(new(PolicyRules.EgressAllowed, $"Egress to {string.Join(", ", egress)} is allowed."));
        }

        CheckDependencies(input, runtime, tenant, reasons, denials);

        var secrets = input.SecretsOrEmpty;
        var deniedSecrets = secrets.Where(s => !document.Secrets.Contains(s, StringComparer.Ordinal)).ToList();
        if (deniedSecrets.Count > 0)
        {
            denials.Add(new(PolicyRules.SecretDenied,
                $"Tenant '{tenant}''s policy does not let jobs request the secret(s) {string.Join(", ", deniedSecrets)}. "
                + "Remove them from secrets, or ask an administrator to add them to the tenant's policy (secrets)."));
        }
        else if (secrets.Count > 0)
        {
            reasons.Add(new(PolicyRules.SecretAllowed, $"Secret(s) {string.Join(", ", secrets)} may be requested."));
        }

        if (denials.Count > 0)
        {
            return new PolicyDecision(false, denials, null, version, document.Quotas);
        }

        var limits = EffectiveLimits(document, runtime, input, out var clamped);
        if (clamped.Count > 0)
        {
            reasons.Add(new(PolicyRules.LimitsClamped,
                $"Limits lowered to tenant '{tenant}''s maxima: {string.Join(", ", clamped)}."));
        }

        return new PolicyDecision(true, reasons, limits, version, document.Quotas)
        {
            Packages = input.DependenciesOrEmpty.Count > 0 ? runtime?.Dependencies ?? [] : [],
        };
    }

    private static bool EgressAllowed(PolicyDocument document, string destination)
    {
        var parsed = EgressPattern.Parse(destination, allowWildcard: false, out _);
        return parsed is not null && document.Egress.Any(p => p.Matches(parsed));
    }

    private static void CheckDependencies(PolicyInput input, RuntimePolicy? runtime, string tenant, List<PolicyReason> reasons, List<PolicyReason> denials)
    {
        var dependencies = input.DependenciesOrEmpty;
        if (dependencies.Count == 0)
        {
            return;
        }

        var rules = runtime?.Dependencies ?? [];
        var denied = new List<string>();
        foreach (var dependency in dependencies)
        {
            var rule = rules.FirstOrDefault(r => r.Name == dependency.Name);
            if (rule is null)
            {
                denied.Add($"{dependency.Spec} (not on the allowlist)");
            }
            else if (dependency.Version is { } pinned && !rule.Allows(pinned))
            {
                denied.Add($"{dependency.Spec} (allowed: {dependency.Name} {rule.Version ?? "any final release"})");
            }
        }

        if (denied.Count > 0)
        {
            denials.Add(new(PolicyRules.DependencyDenied,
                $"Tenant '{tenant}''s policy does not allow these {input.Runtime} packages: {string.Join("; ", denied)}. "
                + "Pick allowed versions, or ask an administrator to add them to the tenant's policy (runtimes." + input.Runtime + ".dependencies)."));
        }
        else
        {
            reasons.Add(new(PolicyRules.DependencyAllowed, $"Packages {string.Join(", ", dependencies.Select(d => d.Spec))} are allowed."));
        }
    }

    private static ResourceLimits EffectiveLimits(PolicyDocument document, RuntimePolicy? runtime, PolicyInput input, out List<string> clamped)
    {
        var requested = input.Limits ?? new ResourceLimits();
        var defaults = input.Service.Runtimes[input.Runtime].DefaultLimits;
        var ceiling = input.Service.MaxLimits;
        var own = runtime?.MaxLimits;
        var shared = document.MaxLimits;
        var notes = new List<string>();

        long Pick(string name, long? asked, long? byDefault, long? ownMax, long? sharedMax, long? serviceMax)
        {
            var max = Math.Min(ownMax ?? sharedMax ?? long.MaxValue, serviceMax ?? long.MaxValue);
            var value = asked ?? byDefault ?? max;
            if (value <= max)
            {
                return value;
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {value} → {max}"));
            return max;
        }

        double cpuMax = Math.Min(own?.Cpus ?? shared?.Cpus ?? double.MaxValue, ceiling.Cpus ?? double.MaxValue);
        var cpus = requested.Cpus ?? defaults.Cpus ?? cpuMax;
        if (cpus > cpuMax)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"cpus {cpus} → {cpuMax}"));
            cpus = cpuMax;
        }

        var limits = new ResourceLimits
        {
            TimeoutMs = Pick("timeoutMs", requested.TimeoutMs, defaults.TimeoutMs, own?.TimeoutMs, shared?.TimeoutMs, ceiling.TimeoutMs),
            MemoryMb = (int)Pick("memoryMb", requested.MemoryMb, defaults.MemoryMb, own?.MemoryMb, shared?.MemoryMb, ceiling.MemoryMb),
            Cpus = cpus,
            Pids = (int)Pick("pids", requested.Pids, defaults.Pids, own?.Pids, shared?.Pids, ceiling.Pids),
            OutputBytes = Pick("outputBytes", requested.OutputBytes, defaults.OutputBytes, own?.OutputBytes, shared?.OutputBytes, ceiling.OutputBytes),
            DiskMb = (int)Pick("diskMb", requested.DiskMb, defaults.DiskMb, own?.DiskMb, shared?.DiskMb, ceiling.DiskMb),
        };
        clamped = notes;
        return limits;
    }
}
