namespace Cordon.EndToEnd.Mcp;

/// <summary>Where the repository and its built commands are.</summary>
internal static class RepoPaths
{
    /// <summary><c>CORDON_REPO_ROOT</c> (set by <c>scripts/test.sh</c>) or the first parent holding <c>Cordon.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>CORDON_BIN_DIR</c> or <c>&lt;root&gt;/bin</c>, where <c>scripts/build.sh</c> leaves the commands.</summary>
    public static string Bin { get; } = Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } bin ? bin : Path.Combine(Root, "bin");

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

        throw new InvalidOperationException("Cannot find the repository root; set CORDON_REPO_ROOT.");
    }
}
