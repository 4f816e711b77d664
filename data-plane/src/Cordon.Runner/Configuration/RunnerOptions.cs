using System.ComponentModel.DataAnnotations;

namespace Cordon.Runner.Configuration;

/// <summary>The runner's settings (section <c>Cordon:Runner</c>).</summary>
internal sealed class RunnerOptions
{
    public const string SectionName = "Cordon:Runner";

    /// <summary>Where sandboxes, the root filesystem and runc state live. Default: <c>$CORDON_DATA_DIR/runner</c>.</summary>
    public string DataDir { get; set; } = Path.Combine(Environment.GetEnvironmentVariable("CORDON_DATA_DIR") ?? ".cordon", "runner");

    /// <summary>The OCI runtime binary: <c>runc</c>, or <c>runsc</c>/<c>crun</c> with the same bundles.</summary>
    [Required]
    public string OciRuntime { get; set; } = "runc";

    /// <summary>
    /// The OCI runtime's global flags, given before every verb. Unset: none for runc; for runsc
    /// <c>--network=none --platform=ptrace</c> (no host network stack; ptrace runs everywhere, systrap or kvm
    /// are faster where available).
    /// </summary>
    public string[]? RuntimeFlags { get; set; }

    /// <summary>The agent binary; default <c>cordon-init</c> next to the runner (or CORDON_INIT_PATH).</summary>
    public string? InitPath { get; set; }

    /// <summary>The runtimes registry directory; default <c>runtimes/</c> next to the runner, else <c>deploy/runtimes</c> of the repository.</summary>
    public string? RuntimesPath { get; set; }

    /// <summary>The bearer token the control plane must present. Unset: one is generated into the data directory.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>How many sandboxes the runner holds at once.</summary>
    [Range(1, 4096)]
    public int Capacity { get; set; } = 64;

    /// <summary>The root of the host's per-runner uid ranges (host uid = base + slot × 65536).</summary>
    [Range(65536, int.MaxValue)]
    public int UidBase { get; set; } = 100_000;

    /// <summary>The host directory bound read-only at /usr in every sandbox (a per-runtime image in production).</summary>
    public string HostUsr { get; set; } = "/usr";
}
