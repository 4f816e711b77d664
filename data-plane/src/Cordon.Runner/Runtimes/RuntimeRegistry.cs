using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cordon.Runner.Hosting;

namespace Cordon.Runner.Runtimes;

/// <summary>The runtimes of <c>deploy/runtimes/*.json</c>, looked up by language or alias.</summary>
internal sealed partial class RuntimeRegistry
{
    private readonly FrozenDictionary<string, RuntimeDefinition> _byName;

    public RuntimeRegistry(string directory, IReadOnlyList<RuntimeDefinition> runtimes)
    {
        Directory = directory;
        All = runtimes;
        var byName = new Dictionary<string, RuntimeDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var runtime in runtimes)
        {
            foreach (var name in runtime.Aliases.Prepend(runtime.Language))
            {
                if (!byName.TryAdd(name, runtime))
                {
                    throw new InvalidOperationException($"Runtime name '{name}' is defined twice in {directory}.");
                }
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The runtimes directory, bind-mounted read-only at <c>/opt/cordon/runtimes</c>.</summary>
    public string Directory { get; }

    public IReadOnlyList<RuntimeDefinition> All { get; }

    public RuntimeDefinition? Find(string? languageOrAlias) =>
        languageOrAlias is not null && _byName.TryGetValue(languageOrAlias, out var runtime) ? runtime : null;

    /// <summary>Loads every runtime file and detects each version on the host, in parallel.</summary>
    public static async Task<RuntimeRegistry> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var files = System.IO.Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"No runtimes in {directory}; set Cordon:Runner:RuntimesPath to the deploy/runtimes directory.");
        }

        var runtimes = await Task.WhenAll(files.Select(async file =>
        {
            await using var stream = File.OpenRead(file);
            var runtime = await JsonSerializer.DeserializeAsync(stream, RunnerJsonContext.Default.RuntimeDefinition, cancellationToken)
                ?? throw new InvalidOperationException($"{file} is empty.");
            return runtime with { Version = await DetectVersionAsync(runtime.VersionCommand, cancellationToken) };
        }));
        return new RuntimeRegistry(directory, runtimes);
    }

    private static async Task<string> DetectVersionAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            return "unknown";
        }

        try
        {
            var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in command.Skip(1))
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var match = VersionPattern().Match(await stdout + "\n" + await stderr);
            return match.Success ? match.Value : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unavailable";
        }
    }

    [GeneratedRegex(@"\d+\.\d+(\.\d+)?")]
    private static partial Regex VersionPattern();

    /// <summary>Finds <c>deploy/runtimes</c> walking up from the executable (a publish dir carries its own copy).</summary>
    public static string? FindDefaultDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "runtimes");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
