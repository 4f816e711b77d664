namespace Cordon.ControlPlane.DataProtection;

/// <summary>What a data key protects (<see cref="DataKeyEntity.Scope"/>).</summary>
internal static class DataKeyScopes
{
    public const string Job = "job";
    public const string Session = "session";
}
