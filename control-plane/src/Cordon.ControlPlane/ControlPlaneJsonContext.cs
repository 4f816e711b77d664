using System.Text.Json.Serialization;
using Cordon.Contracts.Jobs;
using Cordon.ControlPlane.Auth;

namespace Cordon.ControlPlane;

/// <summary>JSON metadata for the control plane's own (non-wire) documents.</summary>
[JsonSerializable(typeof(DevSigningKey.DevKeyFile))]
[JsonSerializable(typeof(List<ArtifactInfo>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<Cordon.ControlPlane.Secrets.Redaction.SessionSecretRef>))]
internal sealed partial class ControlPlaneJsonContext : JsonSerializerContext;
