namespace Cordon.Runner.Hosting;

/// <summary>Finds the runner's assets: configured, next to the executable (published), or in the repository (development).</summary>
internal static class AssetLocator
{
    public static string Find(string? configured, string published, string repositoryRelative)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var next = Path.Combine(AppContext.BaseDirectory, published);
        if (Directory.Exists(next))
        {
            return next;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, repositoryRelative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"cannot find {published}: set it in Cordon:Runner configuration");
    }

    public static string FindInit(string? configured)
    {
        var candidates = new[]
        {
            configured,
            Environment.GetEnvironmentVariable("CORDON_INIT_PATH"),
            Path.Combine(AppContext.BaseDirectory, "cordon-init"),
        };
        foreach (var candidate in candidates)
        {
            if (!string.IsNullOrWhiteSpace(candidate) && File.Exists(candidate))
            {
                return RealPath(candidate);
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "bin", "cordon-init");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "Cordon.slnx")))
            {
                return RealPath(candidate);
            }
        }

        throw new FileNotFoundException("cannot find cordon-init (the sandbox agent): build it (make build) or set Cordon:Runner:InitPath / CORDON_INIT_PATH");
    }

    /// <summary>The file itself, not a symlink to it: the path is bind-mounted into every sandbox.</summary>
    private static string RealPath(string path) => new FileInfo(Path.GetFullPath(path)).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
