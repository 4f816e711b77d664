namespace Cordon.ControlPlane.Policy;

/// <summary>OPA's data API answer; <see cref="Result"/> is absent when the decision is undefined.</summary>
internal sealed record OpaResponse
{
    public OpaResult? Result { get; init; }
}
