namespace Cordon.TestSupport.Prometheus;

/// <summary>A metric family: its <c># TYPE</c>, <c># HELP</c> and samples (for a histogram its <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
public sealed record MetricFamily(string Name, string Type, string? Help, IReadOnlyList<MetricSample> Samples);
