namespace Cordon.ControlPlane.Policy;

/// <summary>Who asks: the token's subject, tenant and scopes.</summary>
internal sealed record PolicyPrincipal
{
    public required string Subject { get; init; }

    public required string Tenant { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];
}
