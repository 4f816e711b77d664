using System.Reflection;

namespace Cordon.ControlPlane.Tests.Mcp;

/// <summary>Where the conformance host is: its entry assembly, built alongside this project.</summary>
internal static class ConformanceHost
{
    public static string EntryAssembly { get; } = typeof(ConformanceHost).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "McpConformanceHost").Value!;
}
