using System.Diagnostics;
using System.Text.Json;
using Cordon.Contracts.Runner.V1;
using File = System.IO.File;

namespace Cordon.Runner.Runtimes;

/// <summary>The runtimes registry, loaded from one JSON file per runtime, with versions read off the host at start-up.</summary>
internal sealed class RuntimeRegistry
{
    private Dictionary<string, RuntimeDefinition> _byName = [];

    private RuntimeRegistry(IReadOnlyList<RuntimeDefinition> runtimes, RegistryDefaults defaults, string directory)
    {
        Defaults = defaults;
        Directory = directory;
        Runtimes = Index(runtimes);
    }

    public IReadOnlyList<RuntimeDefinition> Runtimes { get; private set; }

    public RegistryDefaults Defaults { get; }

    /// <summary>The registry directory, bind-mounted read-only at /opt/cordon/runtimes (the REPL drivers live there).</summary>
    public string Directory { get; }

    /// <summary>Reads the registry files (a few small JSON files, read once when the runner's services are built).</summary>
    public static RuntimeRegistry Load(string directory)
    {
        var defaultsPath = Path.Combine(directory, "defaults.json");
        var defaults = JsonSerializer.Deserialize(File.ReadAllBytes(defaultsPath), RuntimeJsonContext.Default.RegistryDefaults)
            ?? throw new InvalidDataException($"{defaultsPath} is empty");
        var files = System.IO.Directory.GetFiles(directory, "*.json").Where(f => Path.GetFileName(f) != "defaults.json").Order();
        var runtimes = files.Select(file => JsonSerializer.Deserialize(File.ReadAllBytes(file), RuntimeJsonContext.Default.RuntimeDefinition)
            ?? throw new InvalidDataException($"{file} is empty"));
        return new RuntimeRegistry([.. runtimes], defaults, directory);
    }

    /// <summary>Runs every runtime's version command (at start-up, before the runner serves) and keeps the answers.</summary>
    public async Task DetectVersionsAsync(CancellationToken cancellationToken)
    {
        var detected = await Task.WhenAll(Runtimes.Select(async r => r with { Version = await ReadVersionAsync(r.VersionCommand, cancellationToken) }));
        Runtimes = Index(detected);
    }

    public bool TryGet(string language, out RuntimeDefinition runtime) => _byName.TryGetValue(language.Trim(), out runtime!);

    /// <summary>Fills unset limits from the runtime's and the registry's defaults; refuses anything over the ceilings.</summary>
    public EffectiveLimits Resolve(RuntimeDefinition runtime, Limits? requested)
    {
        var own = runtime.DefaultLimits ?? new LimitValues();
        var max = Defaults.MaxLimits;
        var fallback = Defaults.DefaultLimits;
        var limits = new EffectiveLimits(
            Pick(requested?.TimeoutMs, own.TimeoutMs, fallback.TimeoutMs),
            (int)Pick(requested?.MemoryMb, own.MemoryMb, fallback.MemoryMb),
            requested?.Cpus > 0 ? requested.Cpus : own.Cpus ?? fallback.Cpus ?? 1,
            (int)Pick(requested?.Pids, own.Pids, fallback.Pids),
            Pick(requested?.OutputBytes, own.OutputBytes, fallback.OutputBytes),
            (int)Pick(requested?.DiskMb, own.DiskMb, fallback.DiskMb));
        Check("timeoutMs", limits.TimeoutMs, max.TimeoutMs, 100);
        Check("memoryMb", limits.MemoryMb, max.MemoryMb, 16);
        Check("pids", limits.Pids, max.Pids, 8);
        Check("outputBytes", limits.OutputBytes, max.OutputBytes, 1);
        Check("diskMb", limits.DiskMb, max.DiskMb, 1);
        if (limits.Cpus < 0.05 || limits.Cpus > (max.Cpus ?? Environment.ProcessorCount))
        {
            throw new LimitOutOfRangeException($"cpus must be between 0.05 and {max.Cpus ?? Environment.ProcessorCount}, got {limits.Cpus}");
        }

        return limits;
    }

    private RuntimeDefinition[] Index(IReadOnlyList<RuntimeDefinition> runtimes)
    {
        var byName = new Dictionary<string, RuntimeDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var runtime in runtimes)
        {
            byName[runtime.Language] = runtime;
            foreach (var alias in runtime.Aliases)
            {
                byName[alias] = runtime;
            }
        }

        _byName = byName;
        return [.. runtimes];
    }

    private static long Pick(long? requested, long? runtimeDefault, long? registryDefault) =>
        requested is > 0 ? requested.Value : runtimeDefault ?? registryDefault ?? throw new InvalidDataException("defaults.json lacks a default limit");

    private static void Check(string name, long value, long? max, long min)
    {
        if (value < min || (max is { } ceiling && value > ceiling))
        {
            throw new LimitOutOfRangeException($"{name} must be between {min} and {max}, got {value}");
        }
    }

    private static async Task<string> ReadVersionAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        if (command.Count == 0)
        {
            return "unknown";
        }

        try
        {
            var info = new ProcessStartInfo(command[0], command.Skip(1)) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
            using var process = Process.Start(info)!;
            var output = (await process.StandardOutput.ReadToEndAsync(cancellationToken)) + await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var text = output.Trim().Split('\n')[0].Trim();
            var digits = text.IndexOfAny("0123456789".ToCharArray());
            return digits >= 0 ? text[digits..].TrimStart('v').Split(' ')[0] : text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unavailable";
        }
    }
}
