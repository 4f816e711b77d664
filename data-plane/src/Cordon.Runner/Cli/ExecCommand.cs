using System.Globalization;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.Runner.Execution;
using Cordon.Runner.Hosting;
using Cordon.Runner.Runtimes;
using Cordon.Runner.Sandboxes;

namespace Cordon.Runner.Cli;

/// <summary>
/// <c>cordon-runner exec</c>: one job in one local sandbox, in process, printed as one JSON object with the
/// Job fields of the public API. The operator's quickest check that sandboxes work on a node.
/// </summary>
internal static class ExecCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? language = null, code = null, stdin = null;
        long timeoutMs = 0;
        int memoryMb = 0;
        var files = new List<string>();
        var config = new List<string>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--language" or "-l": language = Next(); break;
                    case "--code" or "-c": code = Next(); break;
                    case "--file" or "-f": files.Add(Next()); break;
                    case "--stdin": stdin = Next(); break;
                    case "--timeout-ms": timeoutMs = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--memory-mb": memoryMb = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case var option when option.StartsWith("--", StringComparison.Ordinal) && option.Contains(':', StringComparison.Ordinal):
                        config.Add(option);
                        break;
                    default: throw new FormatException($"Unknown argument '{args[i]}'.");
                }
            }

            if (language is null || (code is null && files.Count == 0))
            {
                throw new FormatException("exec needs --language and --code or --file.");
            }
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"cordon-runner exec: {e.Message}");
            return ExitCodes.Usage;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [.. config] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().AddFilter((_, level) => level >= LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddRunner();
        using var host = builder.Build();
        var sandboxes = host.Services.GetRequiredService<SandboxManager>();
        var createdAt = DateTimeOffset.UtcNow;
        Job job;
        try
        {
            await sandboxes.InitializeAsync(CancellationToken.None);
            var runtime = sandboxes.Runtimes.Find(language);
            var jobFiles = new List<JobFileContent>();
            if (code is not null)
            {
                jobFiles.Add(new JobFileContent(runtime?.FileName ?? "main", Encoding.UTF8.GetBytes(code)));
            }

            foreach (var file in files)
            {
                jobFiles.Add(new JobFileContent(Path.GetFileName(file), await File.ReadAllBytesAsync(file)));
            }

            var entrypoint = runtime is not null && jobFiles.All(f => f.Path != runtime.FileName) ? jobFiles[0].Path : null;
            var stdout = new MemoryStream();
            var stderr = new MemoryStream();
            var outcome = await host.Services.GetRequiredService<JobRunner>().RunAsync(new JobRequest
            {
                Language = language,
                Limits = new RuntimeLimits { TimeoutMs = timeoutMs, MemoryMb = memoryMb },
                Files = jobFiles,
                Entrypoint = entrypoint,
                Stdin = stdin is null ? null : Encoding.UTF8.GetBytes(stdin),
            }, (isStderr, data) =>
            {
                (isStderr ? stderr : stdout).Write(data.Span);
                return ValueTask.CompletedTask;
            }, null, CancellationToken.None);
            job = ToJob(language, runtime, createdAt, outcome, stdout, stderr);
        }
        catch (Exception e)
        {
            job = new Job { Id = "local", Status = JobStatus.Error, Language = language, Error = e.Message, CreatedAt = createdAt, FinishedAt = DateTimeOffset.UtcNow };
        }
        finally
        {
            // Waits for the background destroy: exec leaves nothing behind.
            await sandboxes.DisposeAsync();
        }

        Console.WriteLine(JsonSerializer.Serialize(job, CordonJsonContext.Default.Job));
        return job.Status switch
        {
            JobStatus.Succeeded => ExitCodes.Ok,
            JobStatus.Error => ExitCodes.InfrastructureError,
            _ => ExitCodes.JobNotSucceeded,
        };
    }

    private static Job ToJob(string language, RuntimeDefinition? runtime, DateTimeOffset createdAt, ExecOutcome outcome, MemoryStream stdout, MemoryStream stderr) => new()
    {
        Id = "local",
        Status = outcome.Status,
        Language = runtime?.Language ?? language,
        ExitCode = outcome.ExitCode,
        Signal = outcome.Signal,
        Stdout = Encoding.UTF8.GetString(stdout.GetBuffer(), 0, (int)stdout.Length),
        Stderr = Encoding.UTF8.GetString(stderr.GetBuffer(), 0, (int)stderr.Length),
        StdoutTruncated = outcome.StdoutTruncated,
        StderrTruncated = outcome.StderrTruncated,
        CompileOutput = outcome.CompileOutput,
        DurationMs = outcome.DurationMs,
        Usage = new Usage { CpuMs = outcome.CpuMs, PeakMemoryBytes = outcome.PeakMemoryBytes },
        Error = outcome.Error,
        CreatedAt = createdAt,
        StartedAt = outcome.StartedAtUnixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(outcome.StartedAtUnixMs) : null,
        FinishedAt = DateTimeOffset.UtcNow,
    };
}
