namespace Cordon.ControlPlane.Secrets;

/// <summary>A secret a job or session asked for, parsed: where it goes in the sandbox (or <see cref="Proxy"/>: nowhere in it).</summary>
internal sealed record RequestedSecret(string Name, bool Env, bool File, bool Proxy);
