namespace Cordon.Contracts.Policy;

/// <summary>One entry of a tenant's policy history: which version was set, when and by whom.</summary>
public sealed record TenantPolicyChange
{
    /// <summary>The version that was set.</summary>
    public required string Version { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset ChangedAt { get; init; }

    /// <summary>Who (<c>tenant/subject</c>).</summary>
    public required string ChangedBy { get; init; }
}
