using Cordon.Contracts.Jobs;

namespace Cordon.Cli;

/// <summary>Writes jobs and executions to the terminal.</summary>
internal static class JobPrinter
{
    /// <summary>The finished job as JSON on stdout (<c>--json</c>).</summary>
    public static void WriteJson(Job job) => Console.Out.WriteLine(JsonOutput.Serialize(job));

    /// <summary>After the output: compiler messages and why the job ended, on stderr.</summary>
    public static void WriteEnding(Job job)
    {
        if (job.Status == JobStatus.CompileError && !string.IsNullOrEmpty(job.CompileOutput))
        {
            Console.Error.Write(job.CompileOutput);
            if (!job.CompileOutput.EndsWith('\n'))
            {
                Console.Error.WriteLine();
            }
        }

        if (JobOutcome.Explain(job) is { } explanation)
        {
            Console.Error.WriteLine($"cordon: {explanation}");
        }
    }

    /// <summary>The whole output of a finished execution: stdout to stdout, stderr to stderr.</summary>
    public static async Task WriteOutputAsync(Job job, CancellationToken cancellationToken)
    {
        await WriteAsync(Console.Out, job.Stdout, cancellationToken).ConfigureAwait(false);
        await WriteAsync(Console.Error, job.Stderr, cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteAsync(TextWriter writer, string text, CancellationToken cancellationToken)
    {
        if (text.Length > 0)
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
