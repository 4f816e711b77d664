using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// A request's <c>network.egress</c>, <c>dependencies</c> and <c>secrets</c>, checked for form (400 when malformed) and
/// parsed for the policy, which decides whether they are allowed.
/// </summary>
internal sealed record RequestedFeatures(IReadOnlyList<string> Egress, IReadOnlyList<PolicyDependency> Dependencies, IReadOnlyList<string> Secrets)
{
    public const int MaxEntries = 64;

    public static readonly RequestedFeatures None = new([], [], []);

    public bool Any => Egress.Count > 0 || Dependencies.Count > 0 || Secrets.Count > 0;

    public static RequestedFeatures Parse(string? language, NetworkRequest? network, IReadOnlyList<string>? dependencies, IReadOnlyList<string>? secrets, ValidationErrors errors)
    {
        var egress = new List<string>();
        var requested = network?.Egress ?? [];
        if (requested.Count > MaxEntries)
        {
            errors.Add("network.egress", $"At most {MaxEntries} destinations are allowed.");
        }

        for (var i = 0; i < requested.Count && i < MaxEntries; i++)
        {
            if (EgressPattern.Parse(requested[i], allowWildcard: false, out var problem) is { } destination)
            {
                egress.Add(destination.ToString());
            }
            else
            {
                errors.Add($"network.egress[{i}]", problem + ".");
            }
        }

        var packages = new List<PolicyDependency>();
        var asked = dependencies ?? [];
        if (asked.Count > MaxEntries)
        {
            errors.Add("dependencies", $"At most {MaxEntries} packages are allowed.");
        }

        for (var i = 0; i < asked.Count && i < MaxEntries && language is not null; i++)
        {
            if (DependencySpec.Parse(language, asked[i], out var problem) is { } spec)
            {
                packages.Add(new PolicyDependency { Spec = asked[i].Trim(), Name = spec.Name, Version = spec.Version });
            }
            else
            {
                errors.Add($"dependencies[{i}]", problem + ".");
            }
        }

        var names = secrets ?? [];
        if (names.Count > MaxEntries)
        {
            errors.Add("secrets", $"At most {MaxEntries} secrets are allowed.");
        }

        for (var i = 0; i < names.Count && i < MaxEntries; i++)
        {
            if (!SecretNames.IsValid(names[i]))
            {
                errors.Add($"secrets[{i}]", $"'{names[i]}' is not a secret name ({SecretNames.Rule}).");
            }
        }

        return new RequestedFeatures(egress.Distinct(StringComparer.Ordinal).ToList(), packages, names.Distinct(StringComparer.Ordinal).ToList());
    }
}
