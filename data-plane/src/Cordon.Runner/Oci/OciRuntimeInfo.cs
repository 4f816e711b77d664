namespace Cordon.Runner.Oci;

/// <summary>Which OCI runtime the runner drives, and what it does not protect against.</summary>
internal sealed record OciRuntimeInfo(string Name, string Version, IReadOnlyList<string> KnownGaps)
{
    public override string ToString() => $"{Name} {Version}";
}
