using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>The runners (<c>Cordon:Runners</c>) and how they are watched (<c>Cordon:Scheduling</c>).</summary>
internal sealed class SchedulingOptions : IValidatableObject
{
    public const string SectionName = "Cordon:Scheduling";

    /// <summary>Bound from <c>Cordon:Runners</c>.</summary>
    public List<RunnerEndpointOptions> Runners { get; set; } = [];

    [Range(0.05, 3600)]
    public double HealthIntervalSeconds { get; set; } = 2;

    [Range(0.05, 600)]
    public double HealthTimeoutSeconds { get; set; } = 3;

    /// <summary>Consecutive failed health checks before a runner is marked down.</summary>
    [Range(1, 100)]
    public int FailuresBeforeDown { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Runners.Count; i++)
        {
            if (!Uri.TryCreate(Runners[i].Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "unix"))
            {
                yield return new ValidationResult(
                    $"Cordon:Runners:{i}:Url is '{Runners[i].Url}'; set it to the runner's gRPC address, e.g. http://127.0.0.1:7070 or unix:/run/cordon-runner/runner.sock.");
            }
        }

        var duplicate = Runners.Select((r, i) => r.Id ?? $"runner-{i}").GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            yield return new ValidationResult($"Two runners in Cordon:Runners have the id '{duplicate.Key}'; give each its own Id.");
        }
    }
}
