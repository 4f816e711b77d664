namespace Cordon.ControlPlane.Policy;

/// <summary>A requested package as parsed by request validation: normalised name and the one pinned version.</summary>
internal sealed record PolicyDependency
{
    /// <summary>As the request wrote it, for messages.</summary>
    public required string Spec { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }
}
