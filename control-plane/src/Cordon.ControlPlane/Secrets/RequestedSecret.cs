namespace Cordon.ControlPlane.Secrets;

/// <summary>
/// A secret a job or session asked for, parsed: where it goes in the sandbox, or with <see cref="Proxy"/> nowhere in
/// it — its placeholder is the environment variable, and the egress proxy puts the value in request headers to
/// <see cref="Hosts"/> (canonical <c>host:port</c>) only.
/// </summary>
internal sealed record RequestedSecret(string Name, bool Env, bool File, bool Proxy)
{
    public IReadOnlyList<string> Hosts { get; init; } = [];
}
