using System.Diagnostics;

namespace Cordon.Bench;

/// <summary>Timings of one scenario: warm-up runs first (discarded), then the measured ones.</summary>
internal sealed record Measurement(string Name, IReadOnlyList<double> Milliseconds)
{
    public double Median => Percentile(0.5);

    public double P95 => Percentile(0.95);

    public static async Task<Measurement> RunAsync(string name, BenchOptions options, Func<CancellationToken, Task> scenario)
    {
        for (var i = 0; i < options.Warmup; i++)
        {
            await scenario(CancellationToken.None);
        }

        var samples = new List<double>(options.Iterations);
        for (var i = 0; i < options.Iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await scenario(CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return new Measurement(name, samples);
    }

    private double Percentile(double p)
    {
        var sorted = Milliseconds.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }
}
