using System.Text;
using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Tests;

/// <summary>What a streamed RunJob or Exec call produced.</summary>
public sealed record JobResult(string Stdout, string Stderr, ExecResult Result, IReadOnlyList<Phase> Phases)
{
    public ExecStatus Status => Result.Status;

    public override string ToString() =>
        new StringBuilder().Append($"status={Status} exit={Result.ExitCode} signal={Result.Signal} error={Result.Error}\n")
            .Append($"stdout={Stdout[..Math.Min(Stdout.Length, 2000)]}\nstderr={Stderr[..Math.Min(Stderr.Length, 2000)]}\ncompile={Result.CompileOutput}").ToString();
}
