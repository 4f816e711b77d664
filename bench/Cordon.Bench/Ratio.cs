namespace Cordon.Bench;

/// <summary>The ratio of two scenarios' medians, against an optional target.</summary>
internal sealed record Ratio(string Name, Measurement Numerator, Measurement Denominator, double? Target)
{
    public double Value => Numerator.Median / Denominator.Median;

    public string Verdict => Target is null ? "" : Value <= Target ? $"meets ≤ {Target:0.0#}×" : $"MISSES ≤ {Target:0.0#}×";
}
