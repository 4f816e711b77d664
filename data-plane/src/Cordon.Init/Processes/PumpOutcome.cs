namespace Cordon.Init.Processes;

/// <summary>Why a pump stopped and what it cut.</summary>
internal sealed class PumpOutcome
{
    public bool TimedOut { get; set; }
    public bool OutputLimited { get; set; }
    public bool Cancelled { get; set; }
    public bool StdoutTruncated { get; set; }
    public bool StderrTruncated { get; set; }

    /// <summary>The line a REPL driver wrote on its completion pipe, when one arrived.</summary>
    public string? Completion { get; set; }

    public bool MustKill => TimedOut || OutputLimited || Cancelled;
}
