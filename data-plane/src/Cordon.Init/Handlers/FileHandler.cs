using Cordon.Contracts.Runner.Agent;
using Cordon.Init.Files;

namespace Cordon.Init.Handlers;

/// <summary>Workspace file requests; the blocking syscalls run off the accept loop's threads.</summary>
internal sealed class FileHandler(WorkspaceFiles files)
{
    public Task<AgentReply> WriteAsync(AgentWriteFile request, CancellationToken cancellationToken) =>
        Task.Run<AgentReply>(() =>
        {
            // Mode 0 means "not given" (an omitted member deserializes as 0): nobody wants a file nobody can read.
            files.Write(request.Path, request.Content ?? [], request.Mode == 0 ? 420 : request.Mode, cancellationToken);
            return new AgentOk();
        }, cancellationToken);

    public Task<AgentReply> ReadAsync(AgentReadFile request, CancellationToken cancellationToken) =>
        Task.Run<AgentReply>(() => new AgentFileContent { Content = files.Read(request.Path, request.MaxBytes, cancellationToken) }, cancellationToken);

    public Task<AgentReply> ListAsync(AgentListFiles request, CancellationToken cancellationToken) =>
        Task.Run<AgentReply>(() => new AgentFileList { Entries = files.List(request.Path, cancellationToken) }, cancellationToken);

    public Task<AgentReply> DeleteAsync(AgentDeleteFile request, CancellationToken cancellationToken) =>
        Task.Run<AgentReply>(() =>
        {
            files.Delete(request.Path, cancellationToken);
            return new AgentOk();
        }, cancellationToken);
}
