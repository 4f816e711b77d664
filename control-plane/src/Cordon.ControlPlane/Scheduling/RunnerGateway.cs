using Cordon.Contracts.Runner.V1;
using Cordon.ControlPlane.Problems;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Cordon.ControlPlane.Scheduling;

/// <summary>
/// The one adapter between the control plane and <c>cordon.runner.v1</c>: it adds the service token and a deadline to
/// every call (per call kind, <see cref="SchedulingOptions"/>), and it is the only place that catches
/// <see cref="RpcException"/>, mapping status codes to domain errors.
/// </summary>
internal sealed class RunnerGateway(IOptions<SchedulingOptions> options)
{
    private SchedulingOptions Options => options.Value;

    public Task<HealthReply> GetHealthAsync(RunnerState runner, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync(runner, "GetHealth", timeout, async o => await runner.Client.GetHealthAsync(new HealthRequest(), o), cancellationToken);

    public Task<SandboxReply> CreateSandboxAsync(RunnerState runner, CreateSandboxRequest request, CancellationToken cancellationToken) =>
        CallAsync(runner, "CreateSandbox", Seconds(Options.CreateSandboxTimeoutSeconds), async o => await runner.Client.CreateSandboxAsync(request, o), cancellationToken);

    public Task DestroySandboxAsync(RunnerState runner, string sandboxId, CancellationToken cancellationToken) =>
        CallAsync(runner, "DestroySandbox", Seconds(Options.DestroySandboxTimeoutSeconds), async o => await runner.Client.DestroySandboxAsync(new DestroySandboxRequest { SandboxId = sandboxId }, o), cancellationToken);

    public Task<ListSandboxesReply> ListSandboxesAsync(RunnerState runner, CancellationToken cancellationToken) =>
        CallAsync(runner, "ListSandboxes", Seconds(Options.ListSandboxesTimeoutSeconds), async o => await runner.Client.ListSandboxesAsync(new ListSandboxesRequest(), o), cancellationToken);

    public Task WriteFilesAsync(RunnerState runner, WriteFilesRequest request, CancellationToken cancellationToken) =>
        CallAsync(runner, "WriteFiles", Seconds(Options.FileCallTimeoutSeconds), async o => await runner.Client.WriteFilesAsync(request, o), cancellationToken);

    public Task<ReadFileReply> ReadFileAsync(RunnerState runner, ReadFileRequest request, CancellationToken cancellationToken) =>
        CallAsync(runner, "ReadFile", Seconds(Options.FileCallTimeoutSeconds), async o => await runner.Client.ReadFileAsync(request, o), cancellationToken);

    public Task<ListFilesReply> ListFilesAsync(RunnerState runner, ListFilesRequest request, CancellationToken cancellationToken) =>
        CallAsync(runner, "ListFiles", Seconds(Options.FileCallTimeoutSeconds), async o => await runner.Client.ListFilesAsync(request, o), cancellationToken);

    public Task DeleteFileAsync(RunnerState runner, DeleteFileRequest request, CancellationToken cancellationToken) =>
        CallAsync(runner, "DeleteFile", Seconds(Options.FileCallTimeoutSeconds), async o => await runner.Client.DeleteFileAsync(request, o), cancellationToken);

    /// <summary>
    /// Runs a one-shot job, handing each output chunk to <paramref name="onOutput"/> as it comes. <paramref name="guard"/>
    /// is how long the caller waits (the job's timeout plus grace); the call's deadline is that plus a margin.
    /// </summary>
    public Task<ExecResult> RunJobAsync(RunnerState runner, RunJobRequest request, TimeSpan guard, Func<OutputChunk, ValueTask> onOutput, CancellationToken cancellationToken) =>
        CallAsync(runner, "RunJob", guard + Seconds(Options.StreamDeadlineMarginSeconds), o => ReadStreamAsync(runner.Client.RunJob(request, o), onOutput, o.CancellationToken), cancellationToken);

    /// <summary>Runs one execution in a session's sandbox, handing each output chunk to <paramref name="onOutput"/>; deadline as <see cref="RunJobAsync"/>.</summary>
    public Task<ExecResult> ExecAsync(RunnerState runner, ExecRequest request, TimeSpan guard, Func<OutputChunk, ValueTask> onOutput, CancellationToken cancellationToken) =>
        CallAsync(runner, "Exec", guard + Seconds(Options.StreamDeadlineMarginSeconds), o => ReadStreamAsync(runner.Client.Exec(request, o), onOutput, o.CancellationToken), cancellationToken);

    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);

    private static async Task<ExecResult> ReadStreamAsync(AsyncServerStreamingCall<ExecEvent> call, Func<OutputChunk, ValueTask> onOutput, CancellationToken cancellationToken)
    {
        using (call)
        {
            ExecResult? result = null;
            await foreach (var item in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                switch (item.EventCase)
                {
                    case ExecEvent.EventOneofCase.Output:
                        await onOutput(item.Output);
                        break;
                    case ExecEvent.EventOneofCase.Result:
                        result = item.Result;
                        break;
                    default:
                        break;
                }
            }

            return result ?? throw new RunnerFailedException("The runner ended the execution without a result.");
        }
    }

    private static async Task<T> CallAsync<T>(RunnerState runner, string method, TimeSpan timeout, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (!string.IsNullOrEmpty(runner.Token))
        {
            headers.Add("authorization", "Bearer " + runner.Token);
        }

        try
        {
            // The wall clock, not the TimeProvider: a gRPC deadline is compared with the real clock on both ends.
            return await call(new CallOptions(headers, DateTime.UtcNow + timeout, cancellationToken));
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"{method} on runner '{runner.Id}' was cancelled.", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Map(runner, method, ex);
        }
    }

    private static async Task<bool> CallAsync(RunnerState runner, string method, TimeSpan timeout, Func<CallOptions, Task> call, CancellationToken cancellationToken) =>
        await CallAsync(runner, method, timeout, async options =>
        {
            await call(options);
            return true;
        }, cancellationToken);

    private static Exception Map(RunnerState runner, string method, RpcException ex) => ex.StatusCode switch
    {
        // The call broke under us (the runner died, the connection dropped): nothing the runner said, so no detail.
        StatusCode.Internal or StatusCode.Unavailable when ex.Status.DebugException is IOException =>
            new RunnerUnavailableException(runner.Id, $"the connection to runner '{runner.Id}' broke during {method}", ex),
        StatusCode.NotFound => new NotFoundException(ex.Status.Detail is { Length: > 0 } detail ? detail : "Not found on the runner."),
        StatusCode.InvalidArgument or StatusCode.OutOfRange or StatusCode.FailedPrecondition =>
            RequestValidationException.For("request", ex.Status.Detail),
        StatusCode.ResourceExhausted => new RunnerAtCapacityException($"Runner '{runner.Id}' is at capacity: {ex.Status.Detail}"),
        StatusCode.Unavailable or StatusCode.DeadlineExceeded =>
            new RunnerUnavailableException(runner.Id, $"runner '{runner.Id}' did not answer {method}: {ex.Status.Detail}", ex),
        StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
            new RunnerFailedException($"Runner '{runner.Id}' refused the control plane's service token ({method}); check Cordon:Runners token configuration.", ex),
        _ => new RunnerFailedException($"Runner '{runner.Id}' failed {method}: {ex.Status.Detail}", ex),
    };
}
