namespace Cordon.Runner.Egress;

/// <summary>What <see cref="EgressMeter.Enter"/> lets a new connection do.</summary>
internal enum Admission
{
    Open,
    Refuse,
    Drop,
}
