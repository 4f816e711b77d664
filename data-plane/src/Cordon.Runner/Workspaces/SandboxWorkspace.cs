using Cordon.Contracts.Runner.Agent;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;
using Cordon.Runner.Observability;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Workspaces;

/// <summary>
/// File operations on a sandbox's <c>/workspace</c>, always through its agent (never by host path, so the agent's
/// confinement decides what a path means). Used by the gRPC file calls, one-shot jobs and artifact collection.
/// </summary>
internal static class SandboxWorkspace
{
    /// <summary>Writes the files at once; returns the workspace paths written, in the request's order.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(Sandbox sandbox, IReadOnlyList<Contracts.Runner.V1.File> files, CancellationToken cancellationToken)
    {
        using var phase = RunnerTelemetry.Phase("write_files");
        await Task.WhenAll(files.Select(file => CallAsync<AgentOk>(sandbox, new AgentWriteFile { Path = file.Path, Content = file.Content.ToByteArray(), Mode = (int)file.Mode }, cancellationToken)));
        return [.. files.Select(f => f.Path)];
    }

    public static async Task<byte[]> ReadAsync(Sandbox sandbox, string path, long maxBytes, CancellationToken cancellationToken) =>
        (await CallAsync<AgentFileContent>(sandbox, new AgentReadFile { Path = path, MaxBytes = AgentLimits.ReadSize(maxBytes) }, cancellationToken)).Content;

    public static async Task<IReadOnlyList<AgentFileEntry>> ListAsync(Sandbox sandbox, string? path, CancellationToken cancellationToken) =>
        (await CallAsync<AgentFileList>(sandbox, new AgentListFiles { Path = path }, cancellationToken)).Entries;

    public static Task DeleteAsync(Sandbox sandbox, string path, CancellationToken cancellationToken) =>
        CallAsync<AgentOk>(sandbox, new AgentDeleteFile { Path = path }, cancellationToken);

    private static Task<TReply> CallAsync<TReply>(Sandbox sandbox, AgentRequest request, CancellationToken cancellationToken)
        where TReply : AgentReply => sandbox.Agent.CallAsync<TReply>(request, null, AgentLimits.FileDeadline, cancellationToken);
}
