namespace Cordon.ControlPlane.Policy;

/// <summary>The request's <c>network</c>: destinations as <c>host:port</c>, lower-cased.</summary>
internal sealed record PolicyNetwork
{
    public IReadOnlyList<string>? Egress { get; init; }
}
