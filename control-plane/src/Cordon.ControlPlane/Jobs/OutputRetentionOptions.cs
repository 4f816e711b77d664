using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Jobs;

/// <summary>How long finished jobs keep their output (<c>Cordon:Retention</c>), and how the sweep that deletes it runs.</summary>
internal sealed class OutputRetentionOptions
{
    public const string SectionName = "Cordon:Retention";

    /// <summary>
    /// Hours a finished job keeps its stdout, stderr, compile output and artifacts; 0 keeps them for ever. The job
    /// row (status, exit code, usage) stays, marked with <c>outputExpiredAt</c>.
    /// </summary>
    [Range(0, 24 * 365 * 100)]
    public double OutputHours { get; set; } = 24 * 7;

    /// <summary>How often the sweep looks for expired output.</summary>
    [Range(1, 86_400)]
    public double SweepIntervalSeconds { get; set; } = 300;

    /// <summary>Jobs one sweep round takes at most; a backlog is worked off round after round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    public TimeSpan Output => TimeSpan.FromHours(OutputHours);

    public bool Enabled => OutputHours > 0;
}
