namespace Cordon.ControlPlane.Policy;

/// <summary>The <c>action</c> of a <see cref="PolicyInput"/>.</summary>
internal static class PolicyActions
{
    public const string JobCreate = "job.create";
    public const string SessionCreate = "session.create";
    public const string SessionExec = "session.exec";
}
