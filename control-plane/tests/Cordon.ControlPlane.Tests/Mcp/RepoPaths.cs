using System.Reflection;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>Where the repository and the built conformance host are.</summary>
internal static class RepoPaths
{
    /// <summary><c>CORDON_REPO_ROOT</c> (set by <c>scripts/test.sh</c>) or the first parent holding <c>Cordon.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The conformance host's entry assembly, built alongside this project.</summary>
    public static string ConformanceHost { get; } = typeof(RepoPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "McpConformanceHost").Value!;

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("CORDON_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment))
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
