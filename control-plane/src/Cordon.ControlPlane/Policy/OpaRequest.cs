namespace Cordon.ControlPlane.Policy;

/// <summary>OPA's data API request body.</summary>
internal sealed record OpaRequest
{
    public required PolicyInput Input { get; init; }
}
