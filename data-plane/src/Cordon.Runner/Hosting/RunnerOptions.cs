using System.ComponentModel.DataAnnotations;

namespace Cordon.Runner.Hosting;

/// <summary>Configuration of <c>cordon-runner</c>, bound from <c>Cordon:Runner</c>.</summary>
internal sealed class RunnerOptions
{
    public const string SectionName = "Cordon:Runner";

    /// <summary>Runner data directory; default <c>$CORDON_DATA_DIR/runner</c> (<c>./.cordon/runner</c>).</summary>
    public string? DataDir { get; set; }

    /// <summary>The <c>cordon-init</c> binary; default <c>cordon-init</c> next to the runner, or <c>CORDON_INIT_PATH</c>.</summary>
    public string? InitPath { get; set; }

    /// <summary>The runtimes directory (<c>deploy/runtimes</c>); default found next to or above the executable.</summary>
    public string? RuntimesPath { get; set; }

    /// <summary>A seccomp profile file; default the embedded <c>deploy/seccomp/cordon-default.json</c>.</summary>
    public string? SeccompProfilePath { get; set; }

    /// <summary>The OCI runtime binary: <c>runc</c> by default, <c>runsc</c> or <c>crun</c> by configuration.</summary>
    [Required]
    public string OciRuntime { get; set; } = "runc";

    /// <summary>Shared bearer token the control plane presents.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>A file holding the service token (first line), e.g. a mounted secret.</summary>
    public string? ServiceTokenFile { get; set; }

    /// <summary>Sandboxes this runner holds at once (each takes a uid slot).</summary>
    [Range(1, 4096)]
    public int Capacity { get; set; } = 64;

    /// <summary>First host uid of the sandbox ranges; slot n maps to <c>UidBase + n × 65536</c>.</summary>
    [Range(65536, int.MaxValue)]
    public int UidBase { get; set; } = 100_000;

    /// <summary>The cgroup parent under which every sandbox cgroup is created (<c>/&lt;parent&gt;/&lt;id&gt;</c>).</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9._/-]*$", ErrorMessage = "Cordon:Runner:CgroupParent must be a relative cgroup path such as 'cordon'.")]
    public string CgroupParent { get; set; } = "cordon";

    /// <summary>Largest total artifact size a job may return.</summary>
    public long MaxArtifactBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long to wait for a sandbox's agent to answer health after start.</summary>
    public int AgentReadyTimeoutMs { get; set; } = 10_000;

    /// <summary>The data directory as configured, or <c>$CORDON_DATA_DIR/runner</c> (<c>./.cordon/runner</c>).</summary>
    public string ResolveDataDir() =>
        Path.GetFullPath(DataDir ?? Path.Combine(Environment.GetEnvironmentVariable("CORDON_DATA_DIR") ?? ".cordon", "runner"));
}
