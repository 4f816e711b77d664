namespace Cordon.Contracts.Policy;

/// <summary>The answer of <c>GET /v1/admin/tenants/{tenant}/policy/history</c>, newest first.</summary>
public sealed record TenantPolicyHistory
{
    /// <summary>The changes, newest first.</summary>
    public required IReadOnlyList<TenantPolicyChange> Items { get; init; }
}
