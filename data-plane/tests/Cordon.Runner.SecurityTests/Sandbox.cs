using System.Diagnostics;
using System.Text.Json;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Runs one program in a fresh real sandbox through the operator's command, <c>cordon-runner exec</c>, with a
/// data directory of its own, and parses the one JSON job result it prints.
/// </summary>
internal static class Sandbox
{
    private static readonly string DataRoot = CreateDataRoot();

    public static async Task<SandboxOutcome> RunAsync(string language, string code, CancellationToken cancellationToken, int timeoutMs = 10_000, int? memoryMb = null, IReadOnlyDictionary<string, string>? runnerEnv = null)
    {
        var arguments = new List<string> { "exec", "--language", language, "--code", code, "--timeout-ms", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (memoryMb is { } memory)
        {
            arguments.AddRange(["--memory-mb", memory.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var info = new ProcessStartInfo(RunnerPath(), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Cordon__Runner__DataDir"] = Path.Combine(DataRoot, Guid.NewGuid().ToString("N")[..12]);
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in runnerEnv ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cordon-runner did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs + 60_000));
        await process.WaitForExitAsync(deadline.Token);
        var json = await stdout;
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new InvalidOperationException($"cordon-runner exec printed no result (exit {process.ExitCode}): {await stderr}");
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new SandboxOutcome(
            root.GetProperty("status").GetString()!,
            root.TryGetProperty("exitCode", out var exit) && exit.ValueKind == JsonValueKind.Number ? exit.GetInt32() : null,
            root.TryGetProperty("signal", out var signal) && signal.ValueKind == JsonValueKind.String ? signal.GetString() : null,
            root.GetProperty("stdout").GetString() ?? "",
            root.GetProperty("stderr").GetString() ?? "",
            root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null);
    }

    private static string CreateDataRoot()
    {
        // Sandbox uids must be able to traverse to the runner's root filesystem: 0711, not mkdtemp's 0700.
        var root = Directory.CreateTempSubdirectory("cordon-security-");
        root.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return root.FullName;
    }

    private static string RunnerPath()
    {
        var bin = Environment.GetEnvironmentVariable("CORDON_BIN_DIR");
        if (bin is null)
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cordon.slnx")))
            {
                dir = dir.Parent;
            }

            bin = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("set CORDON_BIN_DIR to the built bin/ directory"), "bin");
        }

        return Path.Combine(bin, "cordon-runner");
    }
}
