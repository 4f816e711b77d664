using System.Diagnostics;

namespace Cordon.Runner.Observability;

/// <summary>
/// The runner's spans: each phase of a job (create, write_files, compile, run, collect, destroy) as a child of the
/// gRPC call's span, whose parent is the control plane's (W3C <c>traceparent</c> on the call). A phase's span and
/// its <c>cordon_runner_phase_duration_seconds</c> sample come from one <see cref="Phase"/>.
/// </summary>
internal static class RunnerTelemetry
{
    public const string SourceName = "Cordon.Runner";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts a phase; disposing it ends the span and records the duration.</summary>
    public static PhaseScope Phase(string name) => new(name, Source.StartActivity("runner." + name), Stopwatch.GetTimestamp());

    internal readonly struct PhaseScope(string name, Activity? activity, long started) : IDisposable
    {
        public void Dispose()
        {
            RunnerMetrics.Phase(name, Stopwatch.GetElapsedTime(started));
            activity?.Dispose();
        }
    }
}
