using System.Collections.Concurrent;
using System.Globalization;
using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Tests;

/// <summary>What a soak run did and what went wrong, shared by its lanes.</summary>
internal sealed class SoakTally
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Failures { get; } = new();

    public int Total => _counts.Values.Sum();

    public int Plain => _counts.GetValueOrDefault("Plain");

    public void Count(object kind) => _counts.AddOrUpdate(kind.ToString()!, 1, (_, n) => n + 1);

    public void Check(string label, bool ok, object detail)
    {
        if (!ok)
        {
            Fail(label, Describe(detail));
        }
    }

    /// <summary>A plain job: it must succeed with exit code 0, exactly this stdout and nothing on stderr.</summary>
    public void CheckPlain(string label, JobOutcome outcome, string expectedStdout) =>
        Check(label, outcome.Result.Status == ExecStatus.Succeeded && outcome.Result.ExitCode == 0 && outcome.Stdout == expectedStdout && outcome.Stderr.Length == 0, outcome);

    public void Fail(string label, string why) => Failures.Enqueue($"{label}: {why}");

    public override string ToString() =>
        $"{Total} executions ({string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")))}), {Failures.Count} failed";

    private static string Describe(object detail) => detail switch
    {
        JobOutcome { Stdout.Length: > 2000 } outcome => $"{outcome.Result} (stdout {outcome.Stdout.Length} chars)",
        _ => detail.ToString() ?? "",
    };
}
