namespace Cordon.ControlPlane.Jobs;

/// <summary>A job's stdout and stderr as assembled from its stored output events.</summary>
internal sealed record JobOutput(string Stdout, string Stderr)
{
    /// <summary>No output yet (a job just stored) or none to read (a summary).</summary>
    public static JobOutput None { get; } = new("", "");
}
