using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Requests;

/// <summary>Features the runner protocol cannot carry yet are refused rather than silently ignored.</summary>
internal static class UnsupportedFeatures
{
    public static void Check(NetworkRequest? network, IReadOnlyList<string>? dependencies, IReadOnlyList<string>? secrets, ValidationErrors errors)
    {
        if (network?.Egress is { Count: > 0 })
        {
            errors.Add("network.egress", "Network egress is not available in this deployment yet; sandboxes have no network.");
        }

        if (dependencies is { Count: > 0 })
        {
            errors.Add("dependencies", "Installing dependencies is not available in this deployment yet.");
        }

        foreach (var secret in secrets ?? [])
        {
            errors.Add("secrets", $"Unknown secret '{secret}': this tenant has no secrets (the secret store is not available yet).");
        }
    }
}
