using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.ControlPlane.Policy;

/// <summary>
/// The JSON OPA and the decision-case files speak: camelCase and nulls left out, unlike the control plane's own
/// stored documents (<see cref="ControlPlaneJsonContext"/>), whose spelling existing rows depend on.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpaRequest))]
[JsonSerializable(typeof(OpaResponse))]
[JsonSerializable(typeof(PolicyInput))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
