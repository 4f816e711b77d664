using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Runtimes;

namespace Cordon.ControlPlane.Requests;

/// <summary>The <c>language</c> member of a job or session request, resolved against the runners' runtimes.</summary>
internal static class RequestedLanguage
{
    /// <summary>The runtime, or null with the reason added to <paramref name="errors"/>.</summary>
    public static RuntimeDescriptor? Resolve(RuntimeCatalog runtimes, string? language, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            errors.Add("language", "The language is required.");
            return null;
        }

        var runtime = runtimes.Resolve(language);
        if (runtime is null)
        {
            errors.Add("language", $"Unknown language '{language}'; known: {string.Join(", ", runtimes.KnownLanguages())} (see GET /v1/runtimes).");
        }

        return runtime;
    }
}
