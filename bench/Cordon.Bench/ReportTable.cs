using System.Globalization;

namespace Cordon.Bench;

/// <summary>Prints the measurements and ratios as a plain-text table.</summary>
internal static class ReportTable
{
    public static void Print(IReadOnlyList<Measurement> measurements, IReadOnlyList<Ratio> ratios)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(culture, $"{"scenario",-40} {"n",4} {"median ms",10} {"p95 ms",10}"));
        foreach (var m in measurements)
        {
            Console.WriteLine(string.Create(culture, $"{m.Name,-40} {m.Milliseconds.Count,4} {m.Median,10:0.00} {m.P95,10:0.00}"));
        }

        Console.WriteLine();
        foreach (var r in ratios)
        {
            Console.WriteLine(string.Create(culture, $"{r.Name,-40} {r.Value,8:0.00}×  {r.Verdict}"));
        }
    }
}
