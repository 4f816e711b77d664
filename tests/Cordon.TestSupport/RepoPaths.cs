namespace Cordon.TestSupport;

/// <summary>Where the repository and its built commands are, for tests and the bench run from anywhere inside it.</summary>
public static class RepoPaths
{
    /// <summary><c>CORDON_REPO_ROOT</c> (set by <c>scripts/test.sh</c>) or the first parent holding <c>Cordon.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>CORDON_BIN_DIR</c> or <c>&lt;root&gt;/bin</c>, where <c>scripts/build.sh</c> leaves the commands.</summary>
    public static string Bin => Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } bin ? bin : Path.Combine(Root, "bin");

    /// <summary>The published agent: <c>CORDON_INIT_PATH</c>, else <c>cordon-init</c> in <see cref="Bin"/>.</summary>
    public static string InitBinary =>
        Environment.GetEnvironmentVariable("CORDON_INIT_PATH") is { Length: > 0 } path ? path : Path.Combine(Bin, "cordon-init");

    /// <summary>The agent binary itself (bin/cordon-init is a symlink into the publish directory, where cordon-spawn is too).</summary>
    public static string InitBinaryResolved => new FileInfo(InitBinary).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? InitBinary;

    /// <summary>A file or folder below the repository root, e.g. <c>Combine("deploy", "runtimes")</c>.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("CORDON_REPO_ROOT") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cordon.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the repository root (Cordon.slnx) above {AppContext.BaseDirectory}; set CORDON_REPO_ROOT.");
    }
}
