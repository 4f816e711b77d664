using System.ComponentModel.DataAnnotations;
using Cordon.Contracts.Jobs;

namespace Cordon.ControlPlane.Policy;

/// <summary><c>Cordon:Policy</c>: which engine decides, and where OPA is when it is OPA.</summary>
internal sealed class PolicyOptions
{
    public const string SectionName = "Cordon:Policy";

    public const string BuiltIn = "builtin";

    public const string Opa = "opa";

    /// <summary><c>builtin</c> (tenant documents in the database) or <c>opa</c>.</summary>
    [RegularExpression("^(builtin|opa)$", ErrorMessage = "Cordon:Policy:Engine must be 'builtin' or 'opa'.")]
    public string Engine { get; set; } = BuiltIn;

    /// <summary>OPA's base URL (e.g. http://127.0.0.1:8181); the adapter posts to <c>{OpaUrl}/v1/data/cordon/decision</c>.</summary>
    public string? OpaUrl { get; set; }

    /// <summary>How long a decision may take before it fails closed.</summary>
    [Range(50, 60_000)]
    public int OpaTimeoutMs { get; set; } = 2000;

    /// <summary>
    /// The defaults of a runtime whose runner does not report its own (older runners); the values of
    /// <c>deploy/runtimes/defaults.json</c>.
    /// </summary>
    public ResourceLimits FallbackDefaultLimits { get; set; } = new()
    {
        TimeoutMs = 10_000,
        MemoryMb = 256,
        Cpus = 1.0,
        Pids = 128,
        OutputBytes = 1_048_576,
        DiskMb = 128,
    };

    public bool IsOpa => string.Equals(Engine, Opa, StringComparison.Ordinal);
}
