using Cordon.ControlPlane.Quotas;

namespace Cordon.ControlPlane.Tests.Quotas;

/// <summary>The counters contract on the in-process counters (one control plane): every view is the one instance.</summary>
public sealed class InProcessQuotaCountersTests : QuotaCountersContractTests
{
    private readonly InProcessQuotaCounters _counters = new(TimeProvider.System);

    private protected override Task<IQuotaCounters> CreateAsync() => Task.FromResult<IQuotaCounters>(_counters);
}
