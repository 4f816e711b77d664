using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Auth;
using Cordon.ControlPlane.Problems;
using Cordon.ControlPlane.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cordon.ControlPlane.Jobs;

/// <summary>
/// The <c>Idempotency-Key</c> of <c>POST /v1/jobs</c>: same key and same body → the same job; same key, other
/// body → 409. The key is stored with the job it names, in the same save.
/// </summary>
internal sealed class JobIdempotency(CordonDbContext db, RequestContext context, JobReader reader, TimeProvider timeProvider)
{
    public const int MaxKeyLength = 256;

    /// <summary>Checks the key; returns the job an earlier request with it made (or null) and the body's hash.</summary>
    public async Task<(Job? Existing, string RequestHash)> LookUpAsync(string key, CreateJobRequest request, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw RequestValidationException.For("Idempotency-Key", $"The Idempotency-Key header must be 1 to {MaxKeyLength} characters.");
        }

        var hash = Hash(request);
        return (await FindAsync(key, hash, cancellationToken), hash);
    }

    /// <summary>The record to store with the new job the key names.</summary>
    public IdempotencyKeyEntity Record(string key, string requestHash, string jobId) => new()
    {
        TenantId = context.RequiredTenant,
        Key = key,
        RequestHash = requestHash,
        JobId = jobId,
        CreatedAt = timeProvider.GetUtcNow(),
    };

    /// <summary>The job an earlier request with this key made; 409 when that request had another body.</summary>
    public async Task<Job?> FindAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var tenant = context.RequiredTenant;
        var existing = await db.IdempotencyKeys.AsNoTracking()
            .FirstOrDefaultAsync(k => k.TenantId == tenant && k.Key == key, cancellationToken);
        if (existing is null)
        {
            return null;
        }

        if (existing.RequestHash != requestHash)
        {
            throw new ConflictException($"Idempotency-Key '{key}' was already used with a different request body (job {existing.JobId}).");
        }

        return await reader.GetAsync(existing.JobId, cancellationToken);
    }

    private static string Hash(CreateJobRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, CordonJsonContext.Default.CreateJobRequest))));
}
