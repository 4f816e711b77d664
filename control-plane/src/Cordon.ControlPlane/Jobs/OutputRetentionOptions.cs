using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// How long finished jobs keep their output and how long they are kept at all (<c>Cordon:Retention</c>), and how the
/// sweeps that delete them run.
/// </summary>
internal sealed class OutputRetentionOptions
{
    public const string SectionName = "Cordon:Retention";

    /// <summary>
    /// Hours a finished job keeps its stdout, stderr, compile output and artifacts; 0 keeps them for ever. The job
    /// row (status, exit code, usage) stays, marked with <c>outputExpiredAt</c>.
    /// </summary>
    [Range(0, 24 * 365 * 100)]
    public double OutputHours { get; set; } = 24 * 7;

    /// <summary>
    /// Days a finished job (and an ended session) is kept at all; 0 keeps them for ever. Older ones are deleted whole —
    /// data key destroyed first, then artifacts, output and rows — by the retention pass on every replica.
    /// </summary>
    [Range(0, 36_500)]
    public int Days { get; set; }

    /// <summary>How often the sweeps look for expired output and expired jobs.</summary>
    [Range(1, 86_400)]
    public double SweepIntervalSeconds { get; set; } = 300;

    /// <summary>Jobs one sweep round takes at most; a backlog is worked off round after round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    public TimeSpan Output => TimeSpan.FromHours(OutputHours);

    public bool Enabled => OutputHours > 0;

    public bool DeletesJobs => Days > 0;
}
