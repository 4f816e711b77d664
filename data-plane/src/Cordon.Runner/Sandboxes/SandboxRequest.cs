using Cordon.Contracts.Runner.V1;

namespace Cordon.Runner.Sandboxes;

/// <summary>What a caller asks of a new sandbox.</summary>
internal sealed record SandboxRequest(string Tenant, string Language, Limits? Limits, IReadOnlyDictionary<string, string> Env, bool OneShot);
