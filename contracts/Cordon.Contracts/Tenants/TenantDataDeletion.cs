namespace Cordon.Contracts.Tenants;

/// <summary>The answer of <c>DELETE /v1/admin/tenants/{tenant}/data</c>: what was destroyed.</summary>
public sealed record TenantDataDeletion
{
    public required string Tenant { get; init; }

    /// <summary>Jobs (and session executions) deleted with their output and artifacts.</summary>
    public required int Jobs { get; init; }

    /// <summary>Ended sessions deleted.</summary>
    public required int Sessions { get; init; }

    /// <summary>Secrets deleted.</summary>
    public required int Secrets { get; init; }

    /// <summary>Data keys destroyed (crypto-shredded): what they encrypted no longer decrypts, wherever copies of it are.</summary>
    public required int DataKeys { get; init; }
}
