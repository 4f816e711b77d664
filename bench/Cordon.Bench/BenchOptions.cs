namespace Cordon.Bench;

/// <summary>Command line of the bench: iteration counts and where the built binaries are.</summary>
internal sealed record BenchOptions(int Iterations, int Warmup, string BinDirectory, string WorkDirectory)
{
    public static BenchOptions Parse(string[] args)
    {
        var iterations = 30;
        var warmup = 3;
        var bin = Environment.GetEnvironmentVariable("CORDON_BIN_DIR") ?? Path.GetFullPath("bin");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--iterations": iterations = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--bin": bin = Path.GetFullPath(args[++i]); break;
                default: throw new ArgumentException($"unknown option {args[i]} (use --iterations N, --warmup N, --bin DIR)");
            }
        }

        var work = Path.Combine(Path.GetTempPath(), $"cordon-bench-{Environment.ProcessId}");
        return new BenchOptions(iterations, warmup, bin, work);
    }
}
