namespace Cordon.Observability;

/// <summary>Bucket boundaries in seconds for durations from a few milliseconds (a request) to minutes (a job).</summary>
internal static class HistogramBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
}
