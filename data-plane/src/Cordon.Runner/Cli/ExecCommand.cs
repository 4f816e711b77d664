using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Contracts.Runner.Mapping;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Execution;
using Cordon.Runner.Grpc;
using Cordon.Runner.Hosting;
using Google.Protobuf;

namespace Cordon.Runner.Cli;

/// <summary>
/// <c>cordon-runner exec</c>: one job in one local sandbox, printed as a single JSON object with the Job fields of
/// the public API — the operator's quickest check that sandboxes work on this node.
/// </summary>
internal static class ExecCommand
{
    public const int UsageError = 2;
    public const int InfrastructureError = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        ExecOptions options;
        try
        {
            options = ExecOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await error.WriteLineAsync($"cordon-runner exec: {e.Message}\n{ExecOptions.Usage}");
            return UsageError;
        }

        // The same services as `serve`, configured from the environment only (Cordon__Runner__…), warnings to stderr.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddEnvironmentVariables();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.AddRunner();
        var createdAt = DateTimeOffset.UtcNow;
        var host = builder.Build();
        await using var disposal = (IAsyncDisposable)host; // the sandbox manager only disposes asynchronously
        try
        {
            await host.StartAsync();
        }
        catch (Exception e)
        {
            var (exitCode, message) = StartupFailure.Describe(e);
            Print(Failed(options.Language, message, JobStatus.Error, createdAt));
            await error.WriteLineAsync($"cordon-runner exec: {message}");
            return exitCode;
        }

        try
        {
            var request = await BuildRequestAsync(options);
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var result = await host.Services.GetRequiredService<OneShotJobs>().RunAsync(request, e =>
            {
                if (e.Output is { } chunk)
                {
                    (chunk.Stream == OutputStream.Stdout ? stdout : stderr).Write(chunk.Data.Span);
                }

                return ValueTask.CompletedTask;
            }, CancellationToken.None);
            Print(ToJob(request.JobId, options.Language, result, stdout, stderr, createdAt));
            return 0;
        }
        catch (Exception e) when (RpcErrors.Map(e) is { } status)
        {
            var rejected = status.StatusCode == global::Grpc.Core.StatusCode.InvalidArgument;
            Print(Failed(options.Language, status.Detail, rejected ? JobStatus.Rejected : JobStatus.Error, createdAt));
            return InfrastructureError;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static Job Failed(string language, string error, JobStatus status, DateTimeOffset createdAt) => new()
    {
        Id = "local",
        Status = status,
        Language = language,
        Error = error,
        CreatedAt = createdAt,
        FinishedAt = DateTimeOffset.UtcNow,
    };

    private static async Task<RunJobRequest> BuildRequestAsync(ExecOptions options)
    {
        var request = new RunJobRequest { Tenant = "local", JobId = "local-" + Guid.NewGuid().ToString("N")[..12], Language = options.Language };
        request.Limits = new Limits { TimeoutMs = options.TimeoutMs, MemoryMb = options.MemoryMb, Pids = options.Pids };
        request.ArtifactGlobs.AddRange(options.Artifacts);
        if (options.Stdin is not null)
        {
            request.Stdin = ByteString.CopyFromUtf8(options.Stdin);
        }

        if (options.Code is not null)
        {
            request.Files.Add(new Contracts.Runner.V1.File { Path = "", Content = ByteString.CopyFromUtf8(options.Code) });
        }

        foreach (var path in options.Files)
        {
            request.Files.Add(new Contracts.Runner.V1.File { Path = Path.GetFileName(path), Content = ByteString.CopyFrom(await System.IO.File.ReadAllBytesAsync(path)) });
        }

        if (options.Files.Count > 0)
        {
            request.Entrypoint = Path.GetFileName(options.Files[0]);
        }

        return request;
    }

    private static Job ToJob(string id, string language, ExecResult result, MemoryStream stdout, MemoryStream stderr, DateTimeOffset createdAt) => new()
    {
        Id = id,
        Status = result.Status.ToJobStatus(),
        Language = language,
        ExitCode = result.HasExitCode ? result.ExitCode : null,
        Signal = string.IsNullOrEmpty(result.Signal) ? null : result.Signal,
        Stdout = Encoding.UTF8.GetString(stdout.ToArray()),
        Stderr = Encoding.UTF8.GetString(stderr.ToArray()),
        StdoutTruncated = result.StdoutTruncated,
        StderrTruncated = result.StderrTruncated,
        CompileOutput = string.IsNullOrEmpty(result.CompileOutput) ? null : result.CompileOutput,
        DurationMs = result.DurationMs,
        Usage = result.Usage is { } usage ? new Contracts.Jobs.Usage { CpuMs = usage.CpuMs, PeakMemoryBytes = usage.PeakMemoryBytes } : null,
        Artifacts = [.. result.Artifacts.Select(a => new ArtifactInfo { Path = a.Path, Size = a.Content.Length, Sha256 = a.Sha256 })],
        Error = string.IsNullOrEmpty(result.Error) ? null : result.Error,
        CreatedAt = createdAt,
        StartedAt = result.StartedAtUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(result.StartedAtUnixMs) : null,
        FinishedAt = DateTimeOffset.UtcNow,
    };

    private static void Print(Job job) => Console.WriteLine(JsonSerializer.Serialize(job, CordonJsonContext.Default.Job));
}
