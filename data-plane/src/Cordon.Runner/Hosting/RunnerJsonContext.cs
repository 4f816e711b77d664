using System.Text.Json;
using System.Text.Json.Serialization;
using Cordon.Runner.Runtimes;

namespace Cordon.Runner.Hosting;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(RuntimeDefinition))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;
