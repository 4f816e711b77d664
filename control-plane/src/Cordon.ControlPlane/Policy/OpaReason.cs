namespace Cordon.ControlPlane.Policy;

/// <summary>One entry of OPA's <c>reasons</c>.</summary>
internal sealed record OpaReason
{
    public string? Rule { get; init; }

    public string? Message { get; init; }
}
