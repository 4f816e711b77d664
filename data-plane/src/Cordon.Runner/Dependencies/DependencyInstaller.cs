using System.Diagnostics;
using System.Text;
using Cordon.Contracts.Runner.V1;
using Cordon.Packages;
using Cordon.Runner.Execution;
using Cordon.Runner.Observability;
using Cordon.Runner.Sandboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cordon.Runner.Dependencies;

/// <summary>
/// Installs a job's dependencies before its program runs: in a sandbox of its own (the job's runtime, fresh, used
/// once) whose only way out is a <see cref="RegistryMirror"/> serving the allowlist, into a staging directory that
/// becomes a read-only cached set once everything installed is checked against the allowlist again. The job's own
/// sandbox then mounts the set read-only. A second job with the same packages and allowlist mounts the kept set
/// without installing.
/// </summary>
internal sealed partial class DependencyInstaller(
    SandboxManager sandboxes,
    SandboxExecutor executor,
    DependencyCache cache,
    RegistryClient registryClient,
    RegistryHosts hosts,
    IOptions<DependencyOptions> options,
    TimeProvider time,
    ILogger<DependencyInstaller> logger)
{
    private const int MaxOutputBytes = 64 * 1024;

    public async Task<InstallOutcome> InstallAsync(RunJobRequest request, ExecSink emit, CancellationToken cancellationToken)
    {
        if (!sandboxes.Registry.TryGet(request.Language, out var runtime))
        {
            throw new UnknownLanguageException(request.Language, sandboxes.Registry.Runtimes.Select(r => r.Language));
        }

        var ecosystem = runtime.Language;
        if (ecosystem is not (PackageNames.Python or PackageNames.JavaScript))
        {
            throw new BadExecRequestException($"'{ecosystem}' has no package manager; dependencies are for python and javascript");
        }

        var requirements = request.Dependencies.Select(text => PackageRequirement.Parse(ecosystem, text, out var problem)
            ?? throw new BadExecRequestException($"dependency '{text}': {problem}")).ToList();
        var allowlist = PackageAllowlist.Parse(ecosystem, request.PackageRules);
        var started = Stopwatch.GetTimestamp();
        if (requirements.FirstOrDefault(r => !allowlist.Knows(r.Name)) is { } unlisted)
        {
            return Refused($"'{unlisted.Name}' is not on the tenant's {ecosystem} allowlist", "", started);
        }

        await emit(new ExecEvent { Phase = Phase.Installing });
        using var installing = RunnerTelemetry.Phase("install");
        var value = options.Value;
        var registry = ecosystem == PackageNames.Python ? value.PythonIndexUrl : value.NpmRegistryUrl;
        var key = DependencyCache.Key(ecosystem, registry, requirements.Select(r => r.ToolSpec(ecosystem)), request.PackageRules.Select(r => PackageNames.Normalize(ecosystem, r.Name) + " " + r.Constraint));
        using var exclusive = await cache.LockAsync(key, cancellationToken);
        if (cache.TryLease(key) is { } kept)
        {
            LogCacheHit(logger, ecosystem, key[..12]);
            return InstallOutcome.Ready(kept, "cordon: dependencies from the cache (installed earlier with the same packages and allowlist)\n" + kept.Summary, Elapsed(started));
        }

        var staging = cache.NewStagingDirectory();
        try
        {
            var outcome = await InstallFreshAsync(request, ecosystem, requirements, allowlist, staging, key, started, cancellationToken);
            if (outcome.Lease is null)
            {
                DependencyCache.Discard(staging);
            }

            return outcome;
        }
        catch
        {
            DependencyCache.Discard(staging);
            throw;
        }
    }

    private async Task<InstallOutcome> InstallFreshAsync(
        RunJobRequest request, string ecosystem, List<PackageRequirement> requirements, PackageAllowlist allowlist, string staging, string key, long started, CancellationToken cancellationToken)
    {
        var value = options.Value;
        var output = new BoundedText(MaxOutputBytes);
        // The sandbox disposes it with itself; this covers a create that failed before that (disposing twice is a no-op).
        await using var mirror = new RegistryMirror(allowlist, value, hosts, registryClient, time, logger);
        ExecResult result;
        var limits = new Limits { TimeoutMs = value.InstallTimeoutSeconds * 1000L, MemoryMb = value.InstallMemoryMb, Pids = 256, OutputBytes = MaxOutputBytes * 16, DiskMb = 512 };
        var sandbox = await sandboxes.CreateAsync(
            new SandboxRequest(request.Tenant, request.Language, limits, InstallCommand.Environment, OneShot: true, Packages: new PackageMount(staging, Writable: true), Mirror: mirror),
            cancellationToken);
        try
        {
            result = await executor.ExecAsync(sandbox, new ExecRequest { Mode = ExecMode.Command, Text = InstallCommand.For(ecosystem, requirements) }, e =>
            {
                if (e.Output is { } chunk)
                {
                    output.Append(chunk.Data.Span);
                }

                return ValueTask.CompletedTask;
            }, cancellationToken);
        }
        finally
        {
            // Gone before the set is checked and sealed: nothing of the installer writes there any more.
            await sandboxes.DestroyAsync(sandbox.Id, CancellationToken.None);
        }

        var text = output.ToString();
        if (mirror.Refused.Count > 0)
        {
            return Refused($"{Names(mirror.Refused)} {(mirror.Refused.Count == 1 ? "is" : "are")} not on the tenant's {ecosystem} allowlist (needed by {string.Join(", ", requirements.Select(r => r.ToolSpec(ecosystem)))})", text, started);
        }

        if (mirror.OverBudget)
        {
            return Failed($"the packages' downloads passed the limit of {value.MaxInstallBytes} bytes", text, started);
        }

        if (result.Status != ExecStatus.Succeeded)
        {
            var narrowed = mirror.Narrowed.Count == 0 ? "" : $"; the allowlist (or wheels-only installation) held back some versions of {Names(mirror.Narrowed)}";
            var why = result.Status == ExecStatus.Failed ? $"exit {result.ExitCode}" : result.Status.ToString().ToLowerInvariant();
            return Failed($"installing {string.Join(", ", requirements.Select(r => r.ToolSpec(ecosystem)))} failed ({why}{narrowed}); setupOutput has the installer's messages", text, started);
        }

        var installed = InstalledPackages.Scan(ecosystem, staging);
        var offenders = installed.Where(p => !allowlist.Allows(p.Name, p.Version)).ToList();
        if (offenders.Count > 0)
        {
            return Refused($"the installation left packages the allowlist does not admit: {string.Join(", ", offenders)}", text, started);
        }

        var bytes = new DirectoryInfo(staging).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        if (bytes > value.MaxInstallBytes)
        {
            return Failed($"the installed packages take {bytes} bytes, more than the limit of {value.MaxInstallBytes}", text, started);
        }

        var summary = "installed: " + string.Join(", ", installed.OrderBy(p => p.Name, StringComparer.Ordinal)) + "\n";
        LogInstalled(logger, ecosystem, installed.Count, key[..12]);
        return InstallOutcome.Ready(cache.Keep(staging, key, summary), text + summary, Elapsed(started));
    }

    private InstallOutcome Refused(string why, string output, long started)
    {
        LogRefused(logger, why);
        return new InstallOutcome(null, ExecStatus.Rejected, output, Elapsed(started), "dependency installation refused: " + why);
    }

    private static InstallOutcome Failed(string why, string output, long started) =>
        new(null, ExecStatus.Error, output, Elapsed(started), "dependency installation failed: " + why);

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The installer's output, kept up to a bound; valid UTF-8 cut at the end.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly MemoryStream _bytes = new();
        private bool _cut;

        public void Append(ReadOnlySpan<byte> data)
        {
            var room = limit - (int)_bytes.Length;
            _cut |= data.Length > room;
            _bytes.Write(data[..Math.Min(room, data.Length)]);
        }

        public override string ToString() => Encoding.UTF8.GetString(_bytes.ToArray()) + (_cut ? "\n[cordon: installer output cut at 64 KiB]\n" : "");
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Dependencies ({Ecosystem}) from the cache, set {Key}")]
    private static partial void LogCacheHit(ILogger logger, string ecosystem, string key);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Dependencies ({Ecosystem}) installed: {Count} packages, set {Key}")]
    private static partial void LogInstalled(ILogger logger, string ecosystem, int count, string key);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Dependency installation refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string why);
}
