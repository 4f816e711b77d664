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
    /// <see cref="Oci.OciRuntimeFlags.RunscDefaults"/>. Flags given for runsc must keep <c>--host-uds=open</c>
    /// (a sandbox reaches its egress proxy through a bound host socket).
    /// </summary>
    public string[]? RuntimeFlags { get; set; }

    /// <summary>The agent binary; default <c>cordon-init</c> next to the runner (or CORDON_INIT_PATH).</summary>
    public string? InitPath { get; set; }

    /// <summary>The runtimes registry directory; default <c>runtimes/</c> next to the runner, else <c>deploy/runtimes</c> of the repository.</summary>
    public string? RuntimesPath { get; set; }

    /// <summary>The bearer token the control plane must present. Unset: one is generated into the data directory.</summary>
    public string? ServiceToken { get; set; }

    /// <summary>
    /// A Unix socket path to serve gRPC on instead of TCP, made 0600 (only the runner's user, with the token, may
    /// call); the control plane's runner Url is then <c>unix:/that/path</c>.
    /// </summary>
    public string? Socket { get; set; }

    /// <summary>
    /// An HTTP/1.1 address (<c>http://127.0.0.1:9470</c>) serving <c>/metrics</c> (Prometheus), <c>/healthz</c> and
    /// <c>/readyz</c> to scrapers and probes, which cannot speak the gRPC endpoint's h2c. Unset (default): none, so
    /// several runners on one host never collide on a port; the gRPC endpoint answers the same paths over h2c.
    /// </summary>
    public string? MetricsUrl { get; set; }

    /// <summary>How many sandboxes the runner holds at once; 0 (default): sized from the host's memory, pids and uid slots.</summary>
    [Range(0, 4096)]
    public int Capacity { get; set; }

    /// <summary>
    /// The root of the host's sandbox uid ranges (host uid = base + slot × 65536). Default 0x70000000: above the
    /// ranges useradd writes to /etc/subuid (100000 up) and systemd-nspawn's container range, below systemd's
    /// foreign range (0x7FFE0000). The runner refuses to start when its ranges overlap /etc/subuid or /etc/subgid.
    /// </summary>
    [Range(65536, int.MaxValue)]
    public int UidBase { get; set; } = 0x7000_0000;

    /// <summary>How many 65536-id slots above <see cref="UidBase"/> the runners of this host share (slot 1 up).</summary>
    [Range(1, 65534)]
    public int UidSlots { get; set; } = 4093;

    /// <summary>The subordinate id files checked for overlap with the sandbox ranges.</summary>
    public string[] SubIdFiles { get; set; } = ["/etc/subuid", "/etc/subgid"];

    /// <summary>The host directory bound read-only at /usr in every sandbox (a per-runtime image in production).</summary>
    public string HostUsr { get; set; } = "/usr";

    /// <summary>
    /// The oldest a sandbox may get (<c>hh:mm:ss</c> or <c>d.hh:mm:ss</c>; default 24 h): a background sweep destroys
    /// older ones, so a sandbox whose control plane forgot it or went away never lives on forever. Keep it above
    /// the control plane's longest session TTL (<c>Cordon:Sessions:MaxTtlSec</c>).
    /// </summary>
    public TimeSpan MaxSandboxAge { get; set; } = TimeSpan.FromHours(24);
}
