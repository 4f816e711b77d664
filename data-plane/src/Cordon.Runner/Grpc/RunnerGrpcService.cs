using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;
using Cordon.Runner.Egress;
using Cordon.Runner.Execution;
using Cordon.Runner.Hosting;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;
using Cordon.Runner.Workspaces;
using Grpc.Core;

namespace Cordon.Runner.Grpc;

/// <summary><c>cordon.runner.v1.Runner</c>: the control plane's view of this runner.</summary>
internal sealed class RunnerGrpcService(SandboxManager sandboxes, SandboxExecutor executor, OneShotJobs jobs, RunnerInfo info, TimeProvider time) : Contracts.Runner.V1.Runner.RunnerBase
{
    public override async Task<SandboxReply> CreateSandbox(CreateSandboxRequest request, ServerCallContext context)
    {
        var sandbox = await sandboxes.CreateAsync(
            new SandboxRequest(request.Tenant, request.Language, request.Limits, request.Env, OneShot: false, string.IsNullOrEmpty(request.OwnerId) ? null : request.OwnerId, request.Secrets, request.Egress),
            context.CancellationToken);
        return new SandboxReply { SandboxId = sandbox.Id, Language = sandbox.Runtime.Language, Limits = sandbox.Limits.ToProto() };
    }

    public override async Task Exec(ExecRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        var sandbox = sandboxes.Get(request.SandboxId);
        var result = await executor.ExecAsync(sandbox, request, e => new ValueTask(responseStream.WriteAsync(e)), context.CancellationToken);
        if (sandbox.Egress is { } proxy)
        {
            // The connections that ended during this execution (one still open is reported with a later one).
            await proxy.SettleAsync(TimeSpan.FromMilliseconds(250), context.CancellationToken);
            result.Network = NetworkUsageReport.Of(proxy);
        }

        await responseStream.WriteAsync(new ExecEvent { Result = result });
    }

    public override async Task RunJob(RunJobRequest request, IServerStreamWriter<ExecEvent> responseStream, ServerCallContext context)
    {
        var result = await jobs.RunAsync(request, e => new ValueTask(responseStream.WriteAsync(e)), context.CancellationToken);
        await responseStream.WriteAsync(new ExecEvent { Result = result });
    }

    public override async Task<WriteFilesReply> WriteFiles(WriteFilesRequest request, ServerCallContext context)
    {
        await SandboxWorkspace.WriteAsync(sandboxes.Get(request.SandboxId), request.Files, context.CancellationToken);
        return new WriteFilesReply();
    }

    public override async Task<ReadFileReply> ReadFile(ReadFileRequest request, ServerCallContext context)
    {
        var content = await SandboxWorkspace.ReadAsync(sandboxes.Get(request.SandboxId), request.Path, request.MaxBytes, context.CancellationToken);
        return ArtifactSealer.Seal(request, content);
    }

    public override async Task<ListFilesReply> ListFiles(ListFilesRequest request, ServerCallContext context)
    {
        var entries = await SandboxWorkspace.ListAsync(sandboxes.Get(request.SandboxId), request.Path, context.CancellationToken);
        var result = new ListFilesReply();
        result.Entries.AddRange(entries.Select(e => new FileEntry { Path = e.Path, Size = e.Size, IsDirectory = e.IsDirectory, ModifiedAtUnixMs = e.ModifiedAtUnixMs }));
        return result;
    }

    public override async Task<DeleteFileReply> DeleteFile(DeleteFileRequest request, ServerCallContext context)
    {
        await SandboxWorkspace.DeleteAsync(sandboxes.Get(request.SandboxId), request.Path, context.CancellationToken);
        return new DeleteFileReply();
    }

    public override async Task<DestroySandboxReply> DestroySandbox(DestroySandboxRequest request, ServerCallContext context)
    {
        // Never with the call's token: a caller whose deadline passed (the runner was stalled) would cancel the
        // teardown halfway and leave the sandbox quarantined; once asked, the destroy runs to its end.
        await sandboxes.DestroyAsync(request.SandboxId, CancellationToken.None);
        return new DestroySandboxReply();
    }

    public override Task<ListSandboxesReply> ListSandboxes(ListSandboxesRequest request, ServerCallContext context)
    {
        var now = time.GetUtcNow();
        var reply = new ListSandboxesReply();
        reply.Sandboxes.AddRange(sandboxes.Live.Select(s => new SandboxSummary
        {
            SandboxId = s.Id,
            OwnerId = s.OwnerId ?? "",
            AgeMs = (long)(now - s.CreatedAt).TotalMilliseconds,
            OneShot = s.OneShot,
        }));
        return Task.FromResult(reply);
    }

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
            InstanceId = info.InstanceId,
        };
        reply.KnownGaps.AddRange(info.KnownGaps);
        reply.Runtimes.AddRange(sandboxes.Registry.Runtimes.Select(r => new RuntimeDescriptor
        {
            Language = r.Language,
            Version = r.Version,
            Aliases = { r.Aliases },
            FileName = r.FileName,
            Compiled = r.Compiled,
            DefaultLimits = DefaultLimitsOf(r),
        }));
        return Task.FromResult(reply);
    }

    // What a request without limits gets; the control plane's policy fills and clamps limits from it.
    private Limits DefaultLimitsOf(RuntimeDefinition runtime) => sandboxes.Registry.Resolve(runtime, null).ToProto();
}
