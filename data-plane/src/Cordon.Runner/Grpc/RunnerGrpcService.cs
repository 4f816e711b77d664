using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Sandboxes;
using Google.Protobuf;
using Grpc.Core;
using ExecRequest = Cordon.Contracts.Runner.V1.ExecRequest;

namespace Cordon.Runner.Grpc;

/// <summary><c>cordon.runner.v1.Runner</c>: thin handlers over the sandbox manager, execution service and job runner.</summary>
internal sealed class RunnerGrpcService(SandboxManager sandboxes, ExecutionService execution, JobRunner jobs) : Cordon.Contracts.Runner.V1.Runner.RunnerBase
{
    private const long DefaultReadBytes = 16 * 1024 * 1024;

    public override async Task<SandboxReply> CreateSandbox(CreateSandboxRequest request, ServerCallContext context)
    {
        var sandbox = await sandboxes.CreateAsync(new SandboxRequest
        {
            Language = request.Language,
            Limits = request.Limits.ToLimits(),
            Env = request.Env,
            Tenant = request.Tenant,
            OwnerId = request.OwnerId,
        }, context.CancellationToken);
        return new SandboxReply { SandboxId = sandbox.Id, Language = sandbox.Runtime.Language, Limits = sandbox.Limits.ToProto() };
    }

    public override async Task Exec(ExecRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        var writer = new EventWriter(responseStream);
        var program = new ExecutionService.ProgramRequest
        {
            Entrypoint = request.Entrypoint,
            Args = request.Args,
            Stdin = request.Stdin.IsEmpty ? null : request.Stdin.ToByteArray(),
            Env = request.Env,
            TimeoutMs = request.TimeoutMs,
            OutputBytes = request.OutputBytes,
        };
        var ct = context.CancellationToken;
        var outcome = request.Mode switch
        {
            ExecMode.Command => await execution.RunCommandAsync(sandbox, request.Text, program, writer.OutputAsync, ct),
            ExecMode.Code => await execution.RunCodeAsync(sandbox, request.Text, program, writer.OutputAsync, ct),
            ExecMode.Program => await execution.RunProgramAsync(sandbox, program, writer.OutputAsync, c => writer.PhaseAsync(c ? Phase.Compiling : Phase.Running), ct),
            _ => throw new SandboxException(SandboxError.InvalidArgument, "mode must be COMMAND, CODE or PROGRAM."),
        };
        await writer.ResultAsync(outcome.ToProto());
    }

    public override async Task RunJob(RunJobRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        var writer = new EventWriter(responseStream);
        var outcome = await jobs.RunAsync(new JobRequest
        {
            Language = request.Language,
            Limits = request.Limits.ToLimits(),
            Files = [.. request.Files.Select(f => new JobFileContent(f.Path, f.Content.ToByteArray(), (int)f.Mode))],
            Entrypoint = request.Entrypoint,
            Args = request.Args,
            Stdin = request.Stdin.IsEmpty ? null : request.Stdin.ToByteArray(),
            Env = request.Env,
            ArtifactGlobs = request.ArtifactGlobs,
            MaxArtifactBytes = request.MaxArtifactBytes,
            Tenant = request.Tenant,
            JobId = request.JobId,
        }, writer.OutputAsync, phase => writer.PhaseAsync((Phase)phase), context.CancellationToken);
        await writer.ResultAsync(outcome.ToProto());
    }

    public override async Task<WriteFilesReply> WriteFiles(WriteFilesRequest request, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        foreach (var file in request.Files)
        {
            WorkspacePath.Validate(file.Path);
        }

        foreach (var file in request.Files)
        {
            await sandbox.Agent.CallAsync<AgentOk>(new AgentWriteFile
            {
                Path = file.Path,
                Content = file.Content.ToByteArray(),
                Mode = file.Mode == 0 ? 420 : (int)file.Mode,
            }, context.CancellationToken);
        }

        return new WriteFilesReply();
    }

    public override async Task<ReadFileReply> ReadFile(ReadFileRequest request, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        var content = await sandbox.Agent.CallAsync<AgentFileContent>(new AgentReadFile
        {
            Path = WorkspacePath.Validate(request.Path),
            MaxBytes = request.MaxBytes > 0 ? request.MaxBytes : DefaultReadBytes,
        }, context.CancellationToken);
        return new ReadFileReply { Content = ByteString.CopyFrom(content.Content) };
    }

    public override async Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        var list = await sandbox.Agent.CallAsync<AgentFileList>(new AgentListFiles { Path = WorkspacePath.Validate(request.Path, allowEmpty: true) }, context.CancellationToken);
        var reply = new ListFilesReply();
        reply.Entries.AddRange(list.Entries.Select(e => new FileEntry { Path = e.Path, Size = e.Size, IsDirectory = e.IsDirectory, ModifiedAtUnixMs = e.ModifiedAtUnixMs }));
        return reply;
    }

    public override async Task<DeleteFileReply> DeleteFile(DeleteFileRequest request, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        await sandbox.Agent.CallAsync<AgentOk>(new AgentDeleteFile { Path = WorkspacePath.Validate(request.Path) }, context.CancellationToken);
        return new DeleteFileReply();
    }

    public override async Task<DestroySandboxReply> DestroySandbox(DestroySandboxRequest request, ServerCallContext context)
    {
        await sandboxes.DestroyAsync(request.SandboxId, context.CancellationToken);
        return new DestroySandboxReply();
    }

    public override Task<HealthReply> GetHealth(HealthRequest request, ServerCallContext context)
    {
        var reply = new HealthReply
        {
            RunnerId = Environment.MachineName,
            Version = typeof(RunnerGrpcService).Assembly.GetName().Version?.ToString() ?? "0",
            Capacity = sandboxes.Capacity,
            ActiveSandboxes = sandboxes.Active,
            Ready = sandboxes.IsReady,
        };
        if (sandboxes.IsReady)
        {
            reply.OciRuntime = sandboxes.Runtime.Info.ToString();
            reply.KnownGaps.AddRange(sandboxes.Runtime.Info.KnownGaps);
            reply.Runtimes.AddRange(sandboxes.Runtimes.All.Select(r => r.ToProto()));
        }

        return Task.FromResult(reply);
    }
}
