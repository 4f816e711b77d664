using System.Text.Json;
using Cordon.Contracts.Files;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Policy;
using Cordon.Contracts.Secrets;
using Cordon.Contracts.Sessions;

namespace Cordon.Cli;

/// <summary>Indented JSON of the contracts, for <c>--json</c>: escaped only where JSON or the terminal needs it, so it reads as written.</summary>
internal static class JsonOutput
{
    private static readonly CordonJsonContext Indented = new(new JsonSerializerOptions(CordonJsonContext.Default.Options)
    {
        WriteIndented = true,
        Encoder = ReadableJsonEncoder.Instance,
    });

    public static string Serialize(Job job) => JsonSerializer.Serialize(job, Indented.Job);

    public static string Serialize(Session session) => JsonSerializer.Serialize(session, Indented.Session);

    public static string Serialize(TenantPolicy policy) => JsonSerializer.Serialize(policy, Indented.TenantPolicy);

    public static string Serialize(IReadOnlyList<SecretInfo> secrets) => JsonSerializer.Serialize(secrets, Indented.IReadOnlyListSecretInfo);

    public static string Serialize(IReadOnlyList<WorkspaceFile> files) => JsonSerializer.Serialize(files, Indented.IReadOnlyListWorkspaceFile);
}
