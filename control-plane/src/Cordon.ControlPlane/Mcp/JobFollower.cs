using System.Text.Json;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Json;
using Cordon.ControlPlane.Jobs;
using ModelContextProtocol;

namespace Cordon.ControlPlane.Mcp;

/// <summary>
/// Waits for a job a tool started, forwarding its output as progress notifications when the client asked for
/// progress, and cancels the job when the client cancels the call — a tool call never leaves a run behind.
/// </summary>
internal sealed class JobFollower(JobEventReader events, JobCanceller canceller, ILogger<JobFollower> logger)
{
    // A progress message carries one output chunk; agents see the whole output in the result anyway.
    private const int MaxMessageChars = 4096;
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(20);

    public async Task<Job> FollowAsync(Job job, IProgress<ProgressNotificationValue>? progress, CancellationToken cancellationToken)
    {
        try
        {
            if (progress is null)
            {
                return await events.WaitAsync(job.Id, cancellationToken);
            }

            var sent = 0;
            await foreach (var item in events.ReadAsync(job.Id, 0, cancellationToken))
            {
                if (item.Kind is JobEventTypes.Stdout or JobEventTypes.Stderr && OutputText(item.Data) is { Length: > 0 } text)
                {
                    progress.Report(new ProgressNotificationValue
                    {
                        Progress = ++sent,
                        Message = (item.Kind == JobEventTypes.Stderr ? "[stderr] " : "") + Cap(text),
                    });
                }
                else if (item.Kind == JobEventTypes.Status && Status(item.Data) is { } status)
                {
                    progress.Report(new ProgressNotificationValue { Progress = ++sent, Message = $"status: {status}" });
                }
            }

            return await events.WaitAsync(job.Id, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            McpLog.CancellingJob(logger, job.Id);
            using var grace = new CancellationTokenSource(CancelGrace);
            await canceller.CancelAsync(job.Id, grace.Token);
            throw;
        }
    }

    private static string? OutputText(string data) =>
        JsonSerializer.Deserialize(data, CordonJsonContext.Default.JobOutputEvent)?.Data;

    private static string? Status(string data) =>
        JsonSerializer.Deserialize(data, CordonJsonContext.Default.JobStatusEvent)?.Status.ToWireName();

    private static string Cap(string text) => text.Length <= MaxMessageChars ? text : text[..MaxMessageChars] + "…";
}
