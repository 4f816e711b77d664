using System.ComponentModel.DataAnnotations;

namespace Cordon.Runner.Dependencies;

/// <summary>Dependency installation's settings (section <c>Cordon:Dependencies</c>): the registries and the bounds of one install.</summary>
internal sealed class DependencyOptions
{
    public const string SectionName = "Cordon:Dependencies";

    /// <summary>A PyPI-compatible simple index (PEP 503), e.g. <c>https://pypi.org/simple/</c> or an internal mirror.</summary>
    public string PythonIndexUrl { get; set; } = "https://pypi.org/simple/";

    /// <summary>An npm registry, e.g. <c>https://registry.npmjs.org/</c>.</summary>
    public string NpmRegistryUrl { get; set; } = "https://registry.npmjs.org/";

    /// <summary>
    /// Hosts (<c>host</c> or <c>host:port</c>) package files may be downloaded from besides the registries' own:
    /// where the index links its files (PyPI serves them from <c>files.pythonhosted.org</c>).
    /// </summary>
    public List<string> FileHosts { get; set; } = ["files.pythonhosted.org"];

    /// <summary>A PEM file of extra certificate authorities to trust for the registries (an internal mirror's CA).</summary>
    public string? RegistryCaFile { get; set; }

    /// <summary>How long one installation (resolution, downloads, unpacking) may take; at most the runtimes' maximum timeout.</summary>
    [Range(5, 300)]
    public int InstallTimeoutSeconds { get; set; } = 180;

    /// <summary>The installing sandbox's memory limit.</summary>
    [Range(64, 4096)]
    public int InstallMemoryMb { get; set; } = 1024;

    /// <summary>How many bytes one installation may download from the registries, and may leave installed.</summary>
    [Range(1L << 20, 1L << 40)]
    public long MaxInstallBytes { get; set; } = 1L << 30;

    /// <summary>
    /// How long an installed set is reused for the same request and allowlist. A range resolves again after it, so
    /// new releases within the range are picked up; a set in use is kept until its last sandbox ends.
    /// </summary>
    [Range(1, 24 * 365)]
    public int CacheMaxAgeHours { get; set; } = 24;
}
