namespace Cordon.ControlPlane.Policy;

/// <summary>
/// A requested package as parsed by request validation: normalised name, the pinned version when the request
/// names exactly one, and the constraint as written (a PEP 440 specifier set or an npm range; empty: any).
/// </summary>
internal sealed record PolicyDependency
{
    /// <summary>As the request wrote it, for messages.</summary>
    public required string Spec { get; init; }

    public required string Name { get; init; }

    /// <summary>The one version a pin names; null for a range.</summary>
    public string? Version { get; init; }

    public string Constraint { get; init; } = "";

    /// <summary>What the runtime's installer is given (<c>name&gt;=1,&lt;2</c>, <c>name@^1.2.0</c>); not part of the policy input.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ToolSpec { get; init; } = "";
}
