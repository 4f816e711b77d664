using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Sandboxes;

/// <summary>What a caller asks of a new sandbox; <paramref name="OwnerId"/> is the session id a control plane gave, for reconciliation.</summary>
internal sealed record SandboxRequest(string Tenant, string Language, Limits? Limits, IReadOnlyDictionary<string, string> Env, bool OneShot, string? OwnerId = null);
