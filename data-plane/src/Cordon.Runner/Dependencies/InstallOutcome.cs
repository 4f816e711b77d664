using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// How a job's dependency installation ended: a set to mount (<see cref="Lease"/>, installed now or kept from
/// before), or a refusal (<see cref="ExecStatus.Rejected"/>: a package off the allowlist) or failure
/// (<see cref="ExecStatus.Error"/>) that ends the job before its program runs. <see cref="Output"/> is the installer's.
/// </summary>
internal sealed record InstallOutcome(DependencyLease? Lease, ExecStatus Status, string Output, long DurationMs, string? Error)
{
    public static InstallOutcome Ready(DependencyLease lease, string output, long durationMs) => new(lease, ExecStatus.Succeeded, output, durationMs, null);

    public ExecResult ToResult() => new() { Status = Status, Error = Error ?? "", SetupOutput = Output, SetupMs = DurationMs };
}
