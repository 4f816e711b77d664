using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Hosting;

/// <summary>
/// What the runner's <c>/readyz</c> checks: its data directory takes a file, the root filesystem it built at start-up
/// is there, and the agent binary and the runtimes registry it mounts into every sandbox exist.
/// </summary>
internal sealed class RunnerReadiness(SandboxPaths paths, RunnerAssets assets)
{
    public IReadOnlyList<string> FailedChecks()
    {
        var failed = new List<string>();
        if (Writable(paths.DataDirectory) is { } dataDir)
        {
            failed.Add("dataDir: " + dataDir);
        }

        if (!File.Exists(Path.Combine(paths.DataDirectory, "rootfs", "etc", "passwd")))
        {
            failed.Add("rootfs: the sandbox root filesystem is missing");
        }

        if (!File.Exists(assets.InitPath))
        {
            failed.Add("agent: cordon-init is missing");
        }

        if (!Directory.Exists(assets.RuntimesDirectory))
        {
            failed.Add("runtimes: the runtimes registry is missing");
        }

        return failed;
    }

    private static string? Writable(string directory)
    {
        try
        {
            var probe = Path.Combine(directory, ".ready-" + Guid.NewGuid().ToString("N"));
            File.Create(probe, 1, FileOptions.DeleteOnClose).Dispose();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the data directory does not take a file ({e.GetType().Name})";
        }
    }
}
