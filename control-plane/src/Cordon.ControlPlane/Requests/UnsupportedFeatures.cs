using Cordon.ControlPlane.Problems;

namespace Cordon.ControlPlane.Requests;

/// <summary>
/// What the policy may allow but the data plane cannot enforce yet: package installation in sessions (one-shot jobs
/// install theirs; egress and proxy secrets go through the runners' proxy). Checked after the policy allowed the request, so a denial is still a denial (403)
/// and an allowed request is refused in words (501) — never run without what it asked for.
/// </summary>
internal static class UnsupportedFeatures
{
    public static void ThrowIfUnenforceable(RequestedFeatures features, bool installsDependencies)
    {
        var missing = new List<string>();
        if (features.Dependencies.Count > 0 && !installsDependencies)
        {
            missing.Add("dependency installation in sessions (dependencies; one-shot jobs install theirs)");
        }

        if (missing.Count > 0)
        {
            throw new NotEnforceableException(
                $"The tenant's policy allows this request, but this deployment cannot enforce {string.Join(", ", missing)}; "
                + "remove those members to run without them.");
        }
    }
}
