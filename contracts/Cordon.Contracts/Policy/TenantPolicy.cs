using System.Text.Json;

namespace Cordon.Contracts.Policy;

/// <summary>The answer of <c>GET</c> and <c>PUT /v1/admin/tenants/{tenant}/policy</c>: a tenant's policy document and its version.</summary>
public sealed record TenantPolicy
{
    /// <summary>The tenant the document governs.</summary>
    public required string Tenant { get; init; }

    /// <summary><c>sha256:</c> and the hex SHA-256 of the document's canonical JSON; also the <c>ETag</c>.</summary>
    public required string Version { get; init; }

    /// <summary>True when the tenant has no document of its own and gets the strict default <c>{}</c>.</summary>
    public required bool IsDefault { get; init; }

    /// <summary>When the document was set; null for the default.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Who set it (<c>tenant/subject</c> of the admin token); null for the default.</summary>
    public string? UpdatedBy { get; init; }

    /// <summary>The document, in canonical form (members sorted).</summary>
    public required JsonElement Document { get; init; }
}
