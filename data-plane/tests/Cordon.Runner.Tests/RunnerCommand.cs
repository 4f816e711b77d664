using System.Diagnostics;

namespace Cordon.Runner.Tests;

/// <summary>Runs <c>cordon-runner</c> to its exit (start-up refusals) on a fresh data directory and returns its exit code and stderr.</summary>
internal static class RunnerCommand
{
    public static async Task<(int Exit, string Stderr)> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, string? dataDirectory = null)
    {
        var info = new ProcessStartInfo(RunnerProcess.RunnerBinary(), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Cordon__Runner__DataDir"] = dataDirectory ?? Path.Combine(Directory.CreateTempSubdirectory("cordon-runner-refusal-").FullName, "data");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new InvalidOperationException($"cordon-runner {string.Join(' ', arguments)} did not exit (it should have refused to start): {await stdout}");
        }

        return (process.ExitCode, await stderr + await stdout);
    }
}
