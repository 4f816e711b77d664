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

    /// <summary>Consecutive failed health checks before a runner may be marked down (and <see cref="DownAfterSeconds"/> passed).</summary>
    [Range(1, 100)]
    public int FailuresBeforeDown { get; set; } = 3;

    /// <summary>
    /// How long a runner must have been failing (from the start of the first failed check of the streak) before it
    /// is marked down and its sessions end: a short stall (a GC pause, a stopped process, a slow disk) is tolerated.
    /// </summary>
    [Range(0, 3600)]
    public double DownAfterSeconds { get; set; } = 10;

    /// <summary>Deadline of <c>CreateSandbox</c> (container start and agent ready).</summary>
    [Range(0.05, 3600)]
    public double CreateSandboxTimeoutSeconds { get; set; } = 60;

    /// <summary>Deadline of <c>DestroySandbox</c>; one that fails is destroyed later by the reconciliation.</summary>
    [Range(0.05, 3600)]
    public double DestroySandboxTimeoutSeconds { get; set; } = 30;

    /// <summary>Deadline of the session file calls (<c>WriteFiles</c>, <c>ReadFile</c>, <c>ListFiles</c>, <c>DeleteFile</c>).</summary>
    [Range(0.05, 3600)]
    public double FileCallTimeoutSeconds { get; set; } = 60;

    /// <summary>Deadline of <c>ListSandboxes</c> (reconciliation).</summary>
    [Range(0.05, 3600)]
    public double ListSandboxesTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Added to an execution's own guard (its timeout plus <c>Cordon:Jobs:RunnerGraceSeconds</c>) for the deadline of
    /// the <c>RunJob</c>/<c>Exec</c> stream, so the guard, which reports a timeout, fires first.
    /// </summary>
    [Range(0.05, 3600)]
    public double StreamDeadlineMarginSeconds { get; set; } = 10;

    /// <summary>
    /// How often each runner's sandboxes are reconciled with the database (also whenever a runner comes back up or
    /// restarted): sandboxes no live session owns are destroyed, sessions whose sandbox is gone end.
    /// </summary>
    [Range(1, 86_400)]
    public double ReconcileIntervalSeconds { get; set; } = 60;

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
