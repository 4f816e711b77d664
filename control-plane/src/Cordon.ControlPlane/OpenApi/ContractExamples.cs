using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Policy;
using Cordon.Contracts.Secrets;
using Cordon.Contracts.Sessions;

namespace Cordon.ControlPlane.OpenApi;

/// <summary>One typical value of each main contract, shown as the schema's example in the OpenAPI document.</summary>
internal static class ContractExamples
{
    private static readonly DateTimeOffset Created = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);

    public static object? For(Type type) => type switch
    {
        _ when type == typeof(CreateJobRequest) => new CreateJobRequest
        {
            Language = "python",
            Code = "import os\nprint('hello', len(os.environ['API_TOKEN']))",
            Secrets = [SecretRequest.Named("API_TOKEN")],
            Network = new NetworkRequest { Egress = ["pypi.org:443"] },
            Limits = new ResourceLimits { TimeoutMs = 10_000, MemoryMb = 256 },
        },
        _ when type == typeof(Job) => new Job
        {
            Id = "job_019bc12f6e007c3a9d5e1f2a3b4c5d6e",
            Status = JobStatus.Succeeded,
            Language = "python",
            ExitCode = 0,
            Stdout = "hello 7\n",
            DurationMs = 84,
            Usage = new Usage { CpuMs = 31, PeakMemoryBytes = 9_437_184 },
            Network = new JobNetwork { Connections = 1, Denied = 0, BytesOut = 517, BytesIn = 4_213 },
            CreatedAt = Created,
            StartedAt = Created.AddMilliseconds(12),
            FinishedAt = Created.AddMilliseconds(96),
        },
        _ when type == typeof(CreateSessionRequest) => new CreateSessionRequest { Language = "python", IdleTimeoutSec = 300, TtlSec = 3600 },
        _ when type == typeof(Session) => new Session
        {
            Id = "ses_019bc12f6e107d4b8e6f2a3b4c5d6e7f",
            Status = SessionStatus.Ready,
            Language = "python",
            CreatedAt = Created,
            ExpiresAt = Created.AddHours(1),
            LastActiveAt = Created,
        },
        _ when type == typeof(ExecRequest) => new ExecRequest { Code = "x = 41\nprint(x + 1)" },
        _ when type == typeof(PutSecretRequest) => new PutSecretRequest { Value = "s3cr3t" },
        _ when type == typeof(SecretInfo) => new SecretInfo { Name = "API_TOKEN", CreatedAt = Created, UpdatedAt = Created },
        _ when type == typeof(TenantPolicy) => new TenantPolicy
        {
            Tenant = "acme",
            Version = "sha256:6d0f2b0c3c1e8f1a1f4f0b8a2f7d5c9e3b1a0d4c6e8f2a4b6c8d0e2f4a6b8c0d",
            IsDefault = false,
            UpdatedAt = Created,
            UpdatedBy = "acme/alice",
            Document = JsonDocument.Parse("""{"egress":["pypi.org:443"],"secrets":["API_TOKEN"]}""").RootElement.Clone(),
        },
        _ => null,
    };
}
