using System.ComponentModel.DataAnnotations;

namespace Cordon.ControlPlane.Requests;

/// <summary>The bounds every request is checked against (<c>Cordon:Limits</c>).</summary>
internal sealed class LimitsOptions
{
    public const string SectionName = "Cordon:Limits";

    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    [Range(1, 10_000)]
    public int MaxFiles { get; set; } = 100;

    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 5 * 1024 * 1024;

    [Range(1, long.MaxValue)]
    public long MaxStdinBytes { get; set; } = 5 * 1024 * 1024;

    [Range(1, 10_000)]
    public int MaxArgs { get; set; } = 256;

    [Range(1, 10_000)]
    public int MaxEnv { get; set; } = 256;

    [Range(100, long.MaxValue)]
    public long MaxTimeoutMs { get; set; } = 300_000;

    [Range(16, int.MaxValue)]
    public int MaxMemoryMb { get; set; } = 4096;

    [Range(0.1, 1024)]
    public double MaxCpus { get; set; } = 4;

    [Range(1, int.MaxValue)]
    public int MaxPids { get; set; } = 1024;

    [Range(1, long.MaxValue)]
    public long MaxOutputBytes { get; set; } = 64 * 1024 * 1024;

    [Range(1, int.MaxValue)]
    public int MaxDiskMb { get; set; } = 4096;

    [Range(0, 1000)]
    public int MaxArtifactGlobs { get; set; } = 32;

    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 64 * 1024 * 1024;
}
