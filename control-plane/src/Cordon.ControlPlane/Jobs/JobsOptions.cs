using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Jobs;

/// <summary>Admission and execution of jobs (<c>Cordon:Jobs</c>).</summary>
internal sealed class JobsOptions
{
    public const string SectionName = "Cordon:Jobs";

    /// <summary>Jobs waiting for a worker; past it new jobs get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Jobs (and session executions) this control plane drives at once.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 32;

    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>How long a job waits for a runner with free capacity before it ends as error.</summary>
    [Range(1, 86_400)]
    public int PlacementTimeoutSeconds { get; set; } = 120;

    /// <summary>Added to a job's timeout before the control plane stops waiting for the runner.</summary>
    [Range(1, 3600)]
    public int RunnerGraceSeconds { get; set; } = 60;

    /// <summary>
    /// At start-up, end the jobs left queued or running as <c>error</c> ("the control plane restarted"). Right for one
    /// control plane; with several replicas on one database a starting replica cannot tell a dead process's jobs
    /// from a live replica's, so set it on one replica only (until leader election takes the recovery over).
    /// </summary>
    public bool RecoverUnfinishedAtStartup { get; set; } = true;
}
