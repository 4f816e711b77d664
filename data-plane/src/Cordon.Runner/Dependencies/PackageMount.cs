namespace Cordon.Runner.Dependencies;

/// <summary>
/// An installed set (or an installation's staging directory) bound at <see cref="InSandbox"/>: writable only for
/// the installing sandbox, read-only for every job that uses it. <see cref="Lease"/> keeps a kept set whole while
/// the sandbox lives; the sandbox's teardown ends it.
/// </summary>
internal sealed record PackageMount(string HostDirectory, bool Writable, IDisposable? Lease = null)
{
    public const string InSandbox = "/opt/cordon/deps";

    /// <summary>Where python finds the set (<c>pip install --target</c>) and node (<c>NODE_PATH</c>).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string ecosystem) => ecosystem == Cordon.Packages.PackageNames.Python
        ? new Dictionary<string, string>(StringComparer.Ordinal) { ["PYTHONPATH"] = InSandbox + "/" + InstalledPackages.PythonDirectory }
        : new Dictionary<string, string>(StringComparer.Ordinal) { ["NODE_PATH"] = InSandbox + "/" + InstalledPackages.NodeDirectory };
}
