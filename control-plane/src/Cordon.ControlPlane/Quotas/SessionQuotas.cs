using System.Globalization;
using Cordon.ControlPlane.Problems;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Quotas;

/// <summary>
/// The <c>concurrentSessions</c> quota: a session holds a slot (holder: the session id) from its creation until it
/// ends (<see cref="Sessions.SessionTerminator"/> gives it back). While it is created the creating replica renews the
/// slot; once stored, every replica's <see cref="QuotaLeaseRenewer"/> renews the slots of the live sessions in the
/// database, so a session outlives the replica that made it and an ended one's slot expires even if its release is lost.
/// </summary>
internal sealed class SessionQuotas(
    IQuotaCounters counters,
    TenantQuotaResolver resolver,
    HeldQuotaSlots held,
    IOptions<QuotaOptions> options,
    ILogger<SessionQuotas> logger)
{
    /// <summary>Takes the session's slot, or throws 429 naming the quota. Dispose without <c>Keep</c> to give it back.</summary>
    public async Task<QuotaSlot> AcquireAsync(string tenant, string sessionId, CancellationToken cancellationToken)
    {
        var quotas = await resolver.GetAsync(tenant, cancellationToken);
        if (!await counters.TryAcquireAsync(QuotaNames.ConcurrentSessions, tenant, sessionId, quotas.ConcurrentSessions,
                TimeSpan.FromSeconds(options.Value.LeaseSeconds), cancellationToken))
        {
            throw new QuotaExceededException(QuotaNames.ConcurrentSessions, quotas.ConcurrentSessions, string.Create(CultureInfo.InvariantCulture,
                    $"Tenant '{tenant}' already has {quotas.ConcurrentSessions} live sessions (quota {QuotaNames.ConcurrentSessions}); delete a session you no longer need (DELETE /v1/sessions/{{id}}) and retry."),
                TimeSpan.FromSeconds(options.Value.RetryAfterSeconds));
        }

        held.Add(QuotaNames.ConcurrentSessions, tenant, sessionId);
        return new QuotaSlot(() => ReleaseAsync(tenant, sessionId));
    }

    /// <summary>The session is stored: the database's live sessions are renewed from now on.</summary>
    public void Stored(string tenant, string sessionId) => held.Remove(QuotaNames.ConcurrentSessions, tenant, sessionId);

    /// <summary>The session ended: its slot is free.</summary>
    public async ValueTask ReleaseAsync(string tenant, string sessionId)
    {
        held.Remove(QuotaNames.ConcurrentSessions, tenant, sessionId);
        try
        {
            await counters.ReleaseAsync(QuotaNames.ConcurrentSessions, tenant, sessionId, CancellationToken.None);
        }
        catch (QuotaCountersUnavailableException exception)
        {
            QuotasLog.ReleaseFailed(logger, exception, QuotaNames.ConcurrentSessions, sessionId);
        }
    }
}
