using System.Text.Json;
using Cordon.TestSupport;

namespace Cordon.Runner.SecurityTests;

/// <summary>
/// Runs one program in a fresh real sandbox through the operator's command, <c>cordon-runner exec</c>, with a
/// data directory of its own, and parses the one JSON job result it prints.
/// </summary>
internal static class Sandbox
{
    // Sandbox uids must be able to traverse to the runner's root filesystem below it.
    private static readonly string DataRoot = TraversableTempDirectory.Create("cordon-security-");

    public static async Task<SandboxOutcome> RunAsync(string language, string code, CancellationToken cancellationToken, int timeoutMs = 10_000, int? memoryMb = null, IReadOnlyDictionary<string, string>? runnerEnv = null, IReadOnlyList<string>? artifacts = null)
    {
        var arguments = new List<string> { "exec", "--language", language, "--code", code, "--timeout-ms", timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var glob in artifacts ?? [])
        {
            arguments.AddRange(["--artifact", glob]);
        }

        if (memoryMb is { } memory)
        {
            arguments.AddRange(["--memory-mb", memory.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        var environment = new Dictionary<string, string?>
        {
            ["Cordon__Runner__DataDir"] = Path.Combine(DataRoot, Guid.NewGuid().ToString("N")[..12]),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Cordon__Runner__OciRuntime"] = TestRuntime.Name,
        };
        foreach (var (name, value) in runnerEnv ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var info = ChildProcess.CreateStartInfo(Path.Combine(RepoPaths.Bin, "cordon-runner"), arguments, environment);
        var run = await ChildProcess.RunAsync(info, TimeSpan.FromMilliseconds(timeoutMs + 60_000), cancellationToken);
        var json = run.Stdout;
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new InvalidOperationException($"cordon-runner exec printed no result (exit {run.ExitCode}): {run.Stderr}");
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new SandboxOutcome(
            root.GetProperty("status").GetString()!,
            root.TryGetProperty("exitCode", out var exit) && exit.ValueKind == JsonValueKind.Number ? exit.GetInt32() : null,
            root.TryGetProperty("signal", out var signal) && signal.ValueKind == JsonValueKind.String ? signal.GetString() : null,
            root.GetProperty("stdout").GetString() ?? "",
            root.GetProperty("stderr").GetString() ?? "",
            root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null,
            root.TryGetProperty("artifacts", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Select(a => (a.GetProperty("path").GetString()!, a.GetProperty("sha256").GetString()!))]
                : []);
    }
}
