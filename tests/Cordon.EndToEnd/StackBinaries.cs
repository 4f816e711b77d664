using System.Diagnostics;
using Cordon.TestSupport;

namespace Cordon.EndToEnd;

/// <summary>
/// Where the real programs are: <c>$CORDON_BIN_DIR</c> (scripts/test.sh: the published <c>bin/</c>), otherwise the
/// build outputs of this configuration next to the sources.
/// </summary>
internal static class StackBinaries
{
    public static ProcessStartInfo Runner(IEnumerable<string> args) => Start("cordon-runner", "data-plane/src/Cordon.Runner", args);

    public static ProcessStartInfo Control(IEnumerable<string> args) => Start("cordon-control", "control-plane/src/Cordon.ControlPlane", args);

    public static string InitPath()
    {
        var candidates = new[] { RepoPaths.InitBinary, RepoPaths.Combine("artifacts", "publish", "init", "cordon-init") };
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("cordon-init not found: run scripts/build.sh (or set CORDON_INIT_PATH).");
    }

    private static ProcessStartInfo Start(string name, string projectDir, IEnumerable<string> args)
    {
        if (Environment.GetEnvironmentVariable("CORDON_BIN_DIR") is { Length: > 0 } binDir)
        {
            return ChildProcess.CreateStartInfo(Path.Combine(binDir, name), args);
        }

        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, projectDir, "bin", configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build the solution first (dotnet build Cordon.slnx -c {configuration}).");
        }

        return ChildProcess.CreateStartInfo("dotnet", [dll, .. args]);
    }
}
