using System.Text.Json;
using System.Text.Json.Serialization;
using Cordon.Contracts.Audit;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Policy;
using Cordon.Contracts.Runtimes;
using Cordon.Contracts.Secrets;
using Cordon.Contracts.Service;
using Cordon.Contracts.Sessions;
using Cordon.Contracts.Tenants;

namespace Cordon.Contracts.Json;

/// <summary>Source-generated JSON metadata for every public contract: camelCase, unknown members rejected.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CreateJobRequest))]
[JsonSerializable(typeof(Job))]
[JsonSerializable(typeof(JobPage))]
[JsonSerializable(typeof(JobSummary))]
[JsonSerializable(typeof(JobOutputEvent))]
[JsonSerializable(typeof(JobStatusEvent))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(Session))]
[JsonSerializable(typeof(ExecRequest))]
[JsonSerializable(typeof(WorkspaceFile))]
[JsonSerializable(typeof(IReadOnlyList<WorkspaceFile>))]
[JsonSerializable(typeof(RuntimeInfo))]
[JsonSerializable(typeof(IReadOnlyList<RuntimeInfo>))]
[JsonSerializable(typeof(ServiceInfo))]
[JsonSerializable(typeof(TenantPolicy))]
[JsonSerializable(typeof(TenantPolicyHistory))]
[JsonSerializable(typeof(PutSecretRequest))]
[JsonSerializable(typeof(SecretInfo))]
[JsonSerializable(typeof(IReadOnlyList<SecretInfo>))]
[JsonSerializable(typeof(MasterKeyRotation))]
[JsonSerializable(typeof(TenantDataDeletion))]
[JsonSerializable(typeof(AuditRecord))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(AuditVerification))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class CordonJsonContext : JsonSerializerContext;
