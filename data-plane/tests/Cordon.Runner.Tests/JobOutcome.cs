using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.TestSupport;
using Grpc.Core;

namespace Cordon.Runner.Tests;

/// <summary>A streamed execution read to its end: output as text, phases in order, and the result.</summary>
public sealed record JobOutcome(string Stdout, string Stderr, IReadOnlyList<Phase> Phases, ExecResult Result)
{
    public static async Task<JobOutcome> ReadAsync(AsyncServerStreamingCall<ExecEvent> call, CancellationToken cancellationToken)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var phases = new List<Phase>();
        ExecResult? result = null;
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            switch (e.EventCase)
            {
                case ExecEvent.EventOneofCase.Output:
                    (e.Output.Stream == OutputStream.Stdout ? stdout : stderr).Write(e.Output.Data.Span);
                    break;
                case ExecEvent.EventOneofCase.Phase:
                    phases.Add(e.Phase);
                    break;
                case ExecEvent.EventOneofCase.Result:
                    result = e.Result;
                    break;
            }
        }

        return new JobOutcome(Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), phases,
            result ?? throw new InvalidOperationException("the stream ended without a result"));
    }

    /// <summary>The value of a <c>name: value</c> line the program printed, or null.</summary>
    public string? Line(string name) => ProbeLines.Find(Stdout, name);

    public override string ToString() => $"{Result}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
