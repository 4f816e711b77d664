using RunnerV1 = Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Egress;

/// <summary>What a sandbox's proxy reports with an execution's result: its totals and the connections ended since the last report.</summary>
internal static class NetworkUsageReport
{
    public static RunnerV1.NetworkUsage Of(EgressProxy proxy)
    {
        var totals = proxy.Totals;
        var usage = new RunnerV1.NetworkUsage { Connections = totals.Connections, Denied = totals.Denied, BytesOut = totals.BytesOut, BytesIn = totals.BytesIn };
        usage.Ended.AddRange(proxy.TakeRecords().Select(r => new RunnerV1.EgressConnection
        {
            SecretsUsed = { r.SecretsUsed },
            PlaceholderLeaks = { r.PlaceholderLeaks },
            StartedAtUnixMs = r.StartedAt.ToUnixTimeMilliseconds(),
            Host = r.Host,
            Port = r.Port,
            Address = r.Address ?? "",
            Allowed = r.Allowed,
            Rule = r.Rule,
            Reason = r.Reason ?? "",
            BytesOut = r.BytesOut,
            BytesIn = r.BytesIn,
            DurationMs = r.DurationMs,
        }));
        return usage;
    }
}
