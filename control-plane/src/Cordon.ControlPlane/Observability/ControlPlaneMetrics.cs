using System.Diagnostics.Metrics;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Jobs;
using Cordon.ControlPlane.Policy;
using Cordon.ControlPlane.Scheduling;
using Cordon.Observability;

namespace Cordon.ControlPlane.Observability;

/// <summary>
/// The control plane's instruments (meter <see cref="MeterName"/>, scraped at <c>/metrics</c>). Counters are
/// incremented where the event happens; the queue and the runners are observed at each scrape. No label carries a
/// tenant, a job id or anything a request chose: the series stay few and say nothing about a tenant's work.
/// </summary>
internal sealed class ControlPlaneMetrics
{
    public const string MeterName = "Cordon.ControlPlane";

    private readonly Counter<long> _jobsFinished;
    private readonly Histogram<double> _jobPhase;
    private readonly Counter<long> _policyDenials;

    public ControlPlaneMetrics(IMeterFactory meters, JobQueue queue, RunnerRegistry runners)
    {
        var meter = meters.Create(MeterName);
        _jobsFinished = meter.CreateCounter<long>("cordon.jobs.finished", "{job}", "Jobs and session executions that reached a final status, by status.");
        _jobPhase = meter.CreateHistogram("cordon.job.phase.duration", "s", "Time a job spent queued (admitted to started) and running (started to finished).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HistogramBuckets.Seconds });
        _policyDenials = meter.CreateCounter<long>("cordon.policy.denials", "{decision}", "Policy decisions that denied a request, by action.");
        meter.CreateObservableGauge("cordon.queue.depth", () => queue.Waiting, "{job}", "Jobs admitted and not yet dispatched to a runner.");
        meter.CreateObservableGauge("cordon.runner.up", () => runners.All.Select(r => new Measurement<int>(r.IsUp ? 1 : 0, Runner(r))),
            description: "1 while the runner answers its health checks, 0 once it is marked down.");
        meter.CreateObservableGauge("cordon.runner.sandboxes.active", () => runners.All.Select(r => new Measurement<int>(r.LastHealth?.ActiveSandboxes ?? 0, Runner(r))),
            "{sandbox}", "Live sandboxes on each runner, as its last health reply said.");
    }

    /// <summary>A job's end: its status, and how long it was queued and ran (from the stored row's times).</summary>
    public void JobFinished(JobEntity job)
    {
        _jobsFinished.Add(1, new KeyValuePair<string, object?>("status", job.Status.ToWireName()));
        if (job.StartedAt is { } started)
        {
            _jobPhase.Record(Seconds(started - job.CreatedAt), new KeyValuePair<string, object?>("phase", "queued"));
            if (job.FinishedAt is { } finished)
            {
                _jobPhase.Record(Seconds(finished - started), new KeyValuePair<string, object?>("phase", "running"));
            }
        }
    }

    public void PolicyDecided(string action, PolicyDecision decision)
    {
        if (!decision.Allowed)
        {
            _policyDenials.Add(1, new KeyValuePair<string, object?>("action", action));
        }
    }

    private static KeyValuePair<string, object?> Runner(RunnerState runner) => new("runner", runner.Id);

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
