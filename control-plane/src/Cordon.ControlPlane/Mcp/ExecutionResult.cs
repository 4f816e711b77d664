using System.ComponentModel;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Mcp;

/// <summary>The structured result of <c>run_code</c> and <c>run_in_session</c>: one finished run.</summary>
internal sealed record ExecutionResult
{
    [Description("The id of the run (a job id); GET /v1/jobs/{id} has it too.")]
    public required string JobId { get; init; }

    [Description("The session the code ran in, for run_in_session.")]
    public string? SessionId { get; init; }

    [Description("succeeded (exit 0), failed (non-zero exit or signal), compile_error, timeout, memory_limit, output_limit, cancelled, rejected (policy or quota) or error (infrastructure).")]
    public required string Status { get; init; }

    [Description("Why the run ended, in words an agent can act on.")]
    public required string Reason { get; init; }

    [Description("The program's exit code, when it exited.")]
    public int? ExitCode { get; init; }

    [Description("The signal that killed the program (e.g. SIGKILL), when one did.")]
    public string? Signal { get; init; }

    [Description("Standard output (UTF-8).")]
    public required string Stdout { get; init; }

    [Description("Standard error (UTF-8).")]
    public required string Stderr { get; init; }

    [Description("True when stdout was cut at the output limit.")]
    public bool StdoutTruncated { get; init; }

    [Description("True when stderr was cut at the output limit.")]
    public bool StderrTruncated { get; init; }

    [Description("The compiler's messages, for compiled languages.")]
    public string? CompileOutput { get; init; }

    [Description("The dependency installer's messages (pip, npm), when 'dependencies' were asked for; says so when the installed set came from the cache.")]
    public string? SetupOutput { get; init; }

    [Description("Wall-clock run time in milliseconds.")]
    public long? DurationMs { get; init; }

    [Description("Files collected from the workspace by the artifacts globs; images among them are also returned as image content.")]
    public required IReadOnlyList<ArtifactResult> Artifacts { get; init; }

    [Description("Connections through the egress proxy (allowed and refused) and their bytes; only when egress was granted.")]
    public JobNetwork? Network { get; init; }
}
