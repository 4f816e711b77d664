using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.Contracts.Runner.Agent;

/// <summary>Source-generated JSON for the agent protocol (NativeAOT-clean for <c>cordon-init</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AgentRequest))]
[JsonSerializable(typeof(AgentReply))]
public sealed partial class AgentJsonContext : JsonSerializerContext;
