using System.Diagnostics.Metrics;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Runner.Mapping;
using Cordon.Contracts.Runner.V1;
using Cordon.Observability;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Observability;

/// <summary>
/// The runner's instruments (meter <see cref="MeterName"/>, scraped at <c>/metrics</c>). Static, because the classes
/// that see the events (the egress proxy, the executor) are built by hand as well as by the container; a process
/// serves one runner. No label carries a tenant, a sandbox id or anything a job chose.
/// </summary>
internal static class RunnerMetrics
{
    public const string MeterName = "Cordon.Runner";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Phases = Meter.CreateHistogram("cordon.runner.phase.duration", "s",
        "Time spent in each phase of a job on the runner: create, write_files, compile, run, collect, destroy.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Seconds });

    private static readonly Counter<long> Executions = Meter.CreateCounter<long>("cordon.runner.executions", "{execution}", "Executions (one-shot jobs and session execs) that ended, by status.");

    private static readonly Counter<long> OomKills = Meter.CreateCounter<long>("cordon.sandbox.oom_kills", "{kill}", "Executions ended by their sandbox's memory cgroup (the OOM killer).");

    private static readonly Counter<long> Timeouts = Meter.CreateCounter<long>("cordon.runner.timeouts", "{execution}", "Executions ended by their wall-clock timeout.");

    private static readonly Counter<long> Egress = Meter.CreateCounter<long>("cordon.egress.decisions", "{connection}", "Connections the egress proxies allowed or denied.");

    private static SandboxManager? _sandboxes;

    static RunnerMetrics()
    {
        Meter.CreateObservableGauge("cordon.sandboxes.active", () => Volatile.Read(ref _sandboxes)?.Active ?? 0, "{sandbox}", "Live sandboxes on this runner.");
        Meter.CreateObservableGauge("cordon.sandboxes.capacity", () => Volatile.Read(ref _sandboxes)?.Capacity ?? 0, "{sandbox}", "How many sandboxes this runner holds at most.");
    }

    /// <summary>The sandbox manager the gauges read (the one the serving host built).</summary>
    public static void Observe(SandboxManager sandboxes) => Volatile.Write(ref _sandboxes, sandboxes);

    public static void Phase(string phase, TimeSpan elapsed) => Phases.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));

    /// <summary>An execution's end: counted by status, and as an OOM kill or a timeout when it was one.</summary>
    public static void Ended(ExecResult result)
    {
        Executions.Add(1, new KeyValuePair<string, object?>("status", result.Status.ToJobStatus().ToWireName()));
        if (result.Status == ExecStatus.MemoryLimit)
        {
            OomKills.Add(1);
        }
        else if (result.Status == ExecStatus.Timeout)
        {
            Timeouts.Add(1);
        }
    }

    public static void EgressDecided(bool allowed) => Egress.Add(1, new KeyValuePair<string, object?>("decision", allowed ? "allowed" : "denied"));
}
