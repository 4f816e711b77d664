using Cordon.Contracts.Runner.V1;
using Cordon.Contracts.Runtimes;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Scheduling;

namespace Cordon.ControlPlane.Runtimes;

/// <summary>The runtimes the runners that are up offer, from their health replies.</summary>
internal sealed class RuntimeCatalog(RunnerRegistry registry)
{
    public IReadOnlyList<RuntimeInfo> List() =>
        Descriptors()
            .GroupBy(r => r.Language, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .OrderBy(r => r.Language, StringComparer.Ordinal)
            .Select(r => new RuntimeInfo
            {
                Language = r.Language,
                Version = r.Version,
                Aliases = [.. r.Aliases],
                FileName = r.FileName,
                Compiled = r.Compiled,
            })
            .ToList();

    /// <summary>The runtime a language or alias names; null when unknown. Throws 503 when no runner is up.</summary>
    public RuntimeDescriptor? Resolve(string languageOrAlias)
    {
        var descriptors = Descriptors().ToList();
        if (descriptors.Count == 0)
        {
            throw new NoRunnerException(registry.All.Count == 0
                ? "No runners are configured (Cordon:Runners)."
                : "No runner is available now: " + string.Join("; ", registry.All.Select(r => $"{r.Id}: {r.LastError ?? "not checked yet"}")));
        }

        return descriptors.FirstOrDefault(r => string.Equals(r.Language, languageOrAlias, StringComparison.OrdinalIgnoreCase))
            ?? descriptors.FirstOrDefault(r => r.Aliases.Any(a => string.Equals(a, languageOrAlias, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>One descriptor per language of the runners that are up (the first runner's, as <see cref="List"/>).</summary>
    public IReadOnlyList<RuntimeDescriptor> Registered() =>
        [.. Descriptors().GroupBy(r => r.Language, StringComparer.OrdinalIgnoreCase).Select(g => g.First())];

    public IReadOnlyList<string> KnownLanguages() => [.. Descriptors().Select(r => r.Language).Distinct(StringComparer.OrdinalIgnoreCase)];

    private IEnumerable<RuntimeDescriptor> Descriptors() =>
        registry.All.Where(r => r.IsUp && r.LastHealth is not null).SelectMany(r => r.LastHealth!.Runtimes);
}
