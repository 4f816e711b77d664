using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>The job result `cordon-runner exec` printed, reduced to what the probes look at.</summary>
public sealed record SandboxOutcome(string Status, int? ExitCode, string? Signal, string Stdout, string Stderr, string? Error, IReadOnlyList<(string Path, string Sha256)> Artifacts)
{
    /// <summary>The value of a <c>name: value</c> line the probe printed, or null when it printed none.</summary>
    public string? Line(string name) => ProbeLines.Find(Stdout, name);

    public override string ToString() =>
        $"status={Status} exit={ExitCode} signal={Signal} error={Error}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
