using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordon.Runner.Runtimes;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(RuntimeDefinition))]
[JsonSerializable(typeof(RegistryDefaults))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
