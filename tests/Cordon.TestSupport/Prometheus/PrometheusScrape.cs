namespace Cordon.TestSupport.Prometheus;

/// <summary>A parsed scrape (<see cref="PrometheusText.Parse"/>), with look-ups that sum the samples a test names.</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, MetricFamily> families)
{
    public IReadOnlyDictionary<string, MetricFamily> Families { get; } = families;

    /// <summary>Every sample named <paramref name="name"/> (a family's or a histogram's <c>_count</c>…) with those labels.</summary>
    public IEnumerable<MetricSample> Samples(string name, params (string Name, string Value)[] labels) =>
        Families.Values.SelectMany(f => f.Samples).Where(s => s.Name == name && s.Has(labels));

    /// <summary>The sum of those samples; 0 when there is none (a counter not yet incremented has no series).</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Samples(name, labels).Sum(s => s.Value);

    /// <summary>The type the scrape declared for a family, or null when it has none.</summary>
    public string? TypeOf(string family) => Families.TryGetValue(family, out var f) ? f.Type : null;
}
