using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Dependencies;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// What a caller asks of a new sandbox; <paramref name="OwnerId"/> is the session id a control plane gave, for
/// reconciliation; <paramref name="Secrets"/> are for this sandbox only; <paramref name="Egress"/> is its allowlist
/// (none: no network at all). <paramref name="Packages"/> is an installed set to mount (or an installation's
/// staging directory); <paramref name="Mirror"/> serves the egress socket of an installing sandbox instead of the proxy.
/// </summary>
internal sealed record SandboxRequest(
    string Tenant, string Language, Limits? Limits, IReadOnlyDictionary<string, string> Env, bool OneShot, string? OwnerId = null, IReadOnlyList<Secret>? Secrets = null,
    IReadOnlyList<string>? Egress = null, PackageMount? Packages = null, RegistryMirror? Mirror = null)
{
    // The generated ToString would print the secrets' values.
    public override string ToString() => $"SandboxRequest {{ Tenant = {Tenant}, Language = {Language}, OneShot = {OneShot} }}";
}
