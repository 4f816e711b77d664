namespace Cordon.Runner.Dependencies;

/// <summary>A package an installation left in its directory: name as its metadata spells it, and version.</summary>
internal sealed record InstalledPackage(string Name, string Version)
{
    public override string ToString() => $"{Name} {Version}";
}
