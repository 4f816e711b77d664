namespace Cordon.Init.Tests;

/// <summary>Where the built agent and the REPL drivers are: CORDON_INIT_PATH, else the repository's build output.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string AgentBinary =>
        Environment.GetEnvironmentVariable("CORDON_INIT_PATH") is { Length: > 0 } path ? path : Path.Combine(Root, "bin", "cordon-init");

    /// <summary>The binary itself (bin/cordon-init is a symlink into the publish directory, where cordon-spawn is too).</summary>
    public static string AgentBinaryResolved => new FileInfo(AgentBinary).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? AgentBinary;

    public static string PythonRepl => Path.Combine(Root, "deploy", "runtimes", "repl", "python.py");

    public static string NodeRepl => Path.Combine(Root, "deploy", "runtimes", "repl", "node.js");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cordon.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
    }
}
