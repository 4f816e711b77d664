using System.Diagnostics;

namespace Cordon.EndToEnd;

/// <summary>
/// Where the real programs are: <c>$CORDON_BIN_DIR</c> (scripts/test.sh: the published <c>bin/</c>), otherwise the
/// build outputs of this configuration next to the sources.
/// </summary>
internal static class StackBinaries
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static ProcessStartInfo Runner(IEnumerable<string> args) => Start("cordon-runner", "data-plane/src/Cordon.Runner", args);

    public static ProcessStartInfo Control(IEnumerable<string> args) => Start("cordon-control", "control-plane/src/Cordon.ControlPlane", args);

    public static string InitPath()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("CORDON_INIT_PATH"),
            Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } bin ? Path.Combine(bin, "cordon-init") : null,
            Path.Combine(RepoRoot, "bin", "cordon-init"),
            Path.Combine(RepoRoot, "artifacts", "publish", "init", "cordon-init"),
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c))
            ?? throw new InvalidOperationException("cordon-init not found: run scripts/build.sh (or set CORDON_INIT_PATH).");
    }

    private static ProcessStartInfo Start(string name, string projectDir, IEnumerable<string> args)
    {
        ProcessStartInfo info;
        if (Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } binDir)
        {
            info = new ProcessStartInfo(Path.Combine(binDir, name));
        }
        else
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(RepoRoot, projectDir, "bin", configuration, "net10.0", name + ".dll");
            if (!File.Exists(dll))
            {
                throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build Cordon.slnx -c {configuration}).");
            }

            info = new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("CORDON_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cordon.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Cordon.slnx) above " + AppContext.BaseDirectory);
    }
}
