namespace Cordon.Runner.Hosting;

/// <summary>The files the runner ships with: the agent binary, the runtimes registry and the seccomp profile.</summary>
internal sealed record RunnerAssets(string InitPath, string RuntimesDirectory, string SeccompProfile)
{
    public static RunnerAssets Locate(Configuration.RunnerOptions options) => new(
        AssetLocator.FindInit(options.InitPath),
        AssetLocator.Find(options.RuntimesPath, "runtimes", Path.Combine("deploy", "runtimes")),
        Path.Combine(AssetLocator.Find(null, "seccomp", Path.Combine("deploy", "seccomp")), "cordon-default.json"));
}
