using System.Globalization;
using System.Text;
using System.Text.Json;
using Cordon.Contracts.Jobs;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Cordon.ControlPlane.Mcp;

/// <summary>Turns a finished job into the tool result agents read: text, structured content and images.</summary>
internal static class ExecutionResults
{
    public static ExecutionResult From(Job job) => new()
    {
        JobId = job.Id,
        SessionId = job.SessionId,
        Status = job.Status.ToWireName(),
        Reason = Reason(job),
        ExitCode = job.ExitCode,
        Signal = job.Signal,
        Stdout = job.Stdout,
        Stderr = job.Stderr,
        StdoutTruncated = job.StdoutTruncated,
        StderrTruncated = job.StderrTruncated,
        CompileOutput = job.CompileOutput,
        SetupOutput = job.SetupOutput,
        DurationMs = job.DurationMs,
        Artifacts = [.. job.Artifacts.Select(a => new ArtifactResult { Path = a.Path, Size = a.Size, Sha256 = a.Sha256 })],
        Network = job.Network,
    };

    /// <summary>A failed program is a normal result with <c>isError</c>: the agent reads why and tries again.</summary>
    public static CallToolResult ToToolResult(ExecutionResult result, IEnumerable<ContentBlock> images) => new()
    {
        IsError = result.Status != JobStatus.Succeeded.ToWireName(),
        Content = [new TextContentBlock { Text = Describe(result) }, .. images],
        StructuredContent = JsonSerializer.SerializeToElement(result, McpJsonUtilities.DefaultOptions),
    };

    public static string Reason(Job job) => job.Status switch
    {
        JobStatus.Succeeded => "The program exited with code 0.",
        JobStatus.Failed when job.Signal is not null => $"The program was killed by {job.Signal}.",
        JobStatus.Failed => $"The program exited with code {job.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}.",
        JobStatus.CompileError => "Compilation failed; the program never ran (see compileOutput).",
        JobStatus.Timeout => "The wall-clock timeout expired and the program was killed; raise limits.timeoutMs or make it faster.",
        JobStatus.MemoryLimit => "The program used more memory than limits.memoryMb allows and was killed.",
        JobStatus.OutputLimit => "The program wrote more than limits.outputBytes; the output was cut and the program stopped.",
        JobStatus.Cancelled => "The run was cancelled" + (job.Error is null ? "." : $": {job.Error}."),
        JobStatus.Rejected => "Refused before running: " + (job.Error ?? "policy or quota."),
        JobStatus.Error => "Cordon failed to run it (not the program's fault): " + (job.Error ?? "unknown error.") + " Retrying may help.",
        _ => $"The run is {job.Status.ToWireName()}.",
    };

    private static string Describe(ExecutionResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"status: {result.Status}");
        if (result.ExitCode is { } exitCode)
        {
            text.Append(CultureInfo.InvariantCulture, $" (exit code {exitCode})");
        }

        if (result.DurationMs is { } durationMs)
        {
            text.Append(CultureInfo.InvariantCulture, $" in {durationMs} ms");
        }

        text.Append('\n').Append(result.Reason).Append('\n');
        // The installer's messages matter to the model when the installation is what failed.
        AppendStream(text, "setup output", result.Status is "succeeded" ? null : result.SetupOutput, truncated: false);
        AppendStream(text, "compiler output", result.CompileOutput, truncated: false);
        AppendStream(text, "stdout", result.Stdout, result.StdoutTruncated);
        AppendStream(text, "stderr", result.Stderr, result.StderrTruncated);
        foreach (var artifact in result.Artifacts)
        {
            text.Append(CultureInfo.InvariantCulture, $"artifact: {artifact.Path} ({artifact.Size} bytes)\n");
        }

        if (result.Network is { } network)
        {
            text.Append(CultureInfo.InvariantCulture, $"network: {network.Connections} connections ({network.Denied} refused by the egress policy), {network.BytesOut} bytes out, {network.BytesIn} in\n");
        }

        return text.ToString();
    }

    private static void AppendStream(StringBuilder text, string name, string? content, bool truncated)
    {
        if (string.IsNullOrEmpty(content))
        {
            return;
        }

        text.Append("--- ").Append(name).Append(truncated ? " (truncated at the output limit)" : "").Append(" ---\n").Append(content);
        if (!content.EndsWith('\n'))
        {
            text.Append('\n');
        }
    }
}
