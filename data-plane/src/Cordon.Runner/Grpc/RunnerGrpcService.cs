using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;
using Cordon.Runner.Execution;
using Cordon.Runner.Hosting;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;
using Grpc.Core;

namespace Cordon.Runner.Grpc;

/// <summary><c>cordon.runner.v1.Runner</c>: the control plane's view of this runner.</summary>
internal sealed class RunnerGrpcService(SandboxManager sandboxes, SandboxExecutor executor, JobRunner jobs, RunnerInfo info) : Contracts.Runner.V1.Runner.RunnerBase
{
    public override Task<SandboxReply> CreateSandbox(CreateSandboxRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        var sandbox = await sandboxes.CreateAsync(new SandboxRequest(request.Tenant, request.Language, request.Limits, request.Env, OneShot: false), context.CancellationToken);
        return new SandboxReply { SandboxId = sandbox.Id, Language = sandbox.Runtime.Language, Limits = sandbox.Limits.ToProto() };
    });

    public override Task Exec(ExecRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        var result = await executor.ExecAsync(sandbox, request, e => new ValueTask(responseStream.WriteAsync(e)), context.CancellationToken);
        await responseStream.WriteAsync(new ExecEvent { Result = result });
        return true;
    });

    public override Task RunJob(RunJobRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        var result = await jobs.RunAsync(request, e => new ValueTask(responseStream.WriteAsync(e)), context.CancellationToken);
        await responseStream.WriteAsync(new ExecEvent { Result = result });
        return true;
    });

    public override Task<WriteFilesReply> WriteFiles(WriteFilesRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        await JobRunner.WriteFilesAsync(sandboxes.Get(request.SandboxId), request.Files, context.CancellationToken);
        return new WriteFilesReply();
    });

    public override Task<ReadFileReply> ReadFile(ReadFileRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        var reply = await CallAgentAsync<AgentFileContent>(request.SandboxId, new AgentReadFile { Path = request.Path, MaxBytes = AgentLimits.ReadSize(request.MaxBytes) }, context);
        return new ReadFileReply { Content = ByteString.CopyFrom(reply.Content) };
    });

    public override Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        var reply = await CallAgentAsync<AgentFileList>(request.SandboxId, new AgentListFiles { Path = request.Path }, context);
        var result = new ListFilesReply();
        result.Entries.AddRange(reply.Entries.Select(e => new FileEntry { Path = e.Path, Size = e.Size, IsDirectory = e.IsDirectory, ModifiedAtUnixMs = e.ModifiedAtUnixMs }));
        return result;
    });

    public override Task<DeleteFileReply> DeleteFile(DeleteFileRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        await CallAgentAsync<AgentOk>(request.SandboxId, new AgentDeleteFile { Path = request.Path }, context);
        return new DeleteFileReply();
    });

    public override Task<DestroySandboxReply> DestroySandbox(DestroySandboxRequest request, ServerCallContext context) => RpcErrors.Guard(async () =>
    {
        await sandboxes.DestroyAsync(request.SandboxId, context.CancellationToken);
        return new DestroySandboxReply();
    });

    public override Task<HealthReply> GetHealth(HealthRequest request, ServerCallContext context)
    {
        var reply = new HealthReply
        {
            RunnerId = info.RunnerId,
            Version = info.Version,
            OciRuntime = info.OciRuntime,
            Capacity = sandboxes.Capacity,
            ActiveSandboxes = sandboxes.Active,
            Ready = true,
        };
        reply.KnownGaps.AddRange(info.KnownGaps);
        reply.Runtimes.AddRange(sandboxes.Registry.Runtimes.Select(r => new RuntimeDescriptor
        {
            Language = r.Language,
            Version = r.Version,
            Aliases = { r.Aliases },
            FileName = r.FileName,
            Compiled = r.Compiled,
        }));
        return Task.FromResult(reply);
    }

    private Task<T> CallAgentAsync<T>(string sandboxId, AgentRequest request, ServerCallContext context)
        where T : AgentReply => sandboxes.Get(sandboxId).Agent.CallAsync<T>(request, null, AgentLimits.FileDeadline, context.CancellationToken);
}
