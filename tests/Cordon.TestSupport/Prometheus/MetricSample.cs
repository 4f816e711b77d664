namespace Cordon.TestSupport.Prometheus;

/// <summary>One sample line of a scrape: <c>name{labels} value</c>.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>True when every given label has the given value (other labels may be there too).</summary>
    public bool Has(params (string Name, string Value)[] labels) =>
        labels.All(l => Labels.TryGetValue(l.Name, out var value) && value == l.Value);
}
