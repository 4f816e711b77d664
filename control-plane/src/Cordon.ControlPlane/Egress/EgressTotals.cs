namespace Cordon.ControlPlane.Egress;

/// <summary>An execution's connections through the egress proxy (allowed and denied) and their bytes.</summary>
internal sealed record EgressTotals(long Connections, long Denied, long BytesOut, long BytesIn);
