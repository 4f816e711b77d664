namespace Cordon.Runner.Egress;

/// <summary>A sandbox's egress so far: connections accepted (denied ones among them) and bytes out and in, open tunnels included.</summary>
internal readonly record struct EgressTotals(long Connections, long Denied, long BytesOut, long BytesIn);
