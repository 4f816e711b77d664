using System.CommandLine;
using System.Text;
using Cordon.Client;
using Cordon.Client.Jobs;
using Cordon.Contracts.Jobs;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon run</c>: runs a one-shot job, streaming its output as it comes.</summary>
internal static class RunCommand
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var language = new Argument<string>("language") { Description = "A language or alias from GET /v1/runtimes (python, javascript, bash, c, cpp…)." };
        var files = new Argument<string[]>("file")
        {
            Description = "Source files to upload to /workspace; the first is the entrypoint. Without -c or files, the code is read from stdin.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var code = new Option<string?>("--code", "-c") { Description = "The program's source code." };
        var stdin = new Option<string?>("--stdin") { Description = "Text passed to the program's stdin (byte-exact)." };
        var stdinFile = new Option<string?>("--stdin-file") { Description = "A file passed to the program's stdin; - for this process's stdin." };
        var args = new Option<string[]>("--arg") { Description = "A command-line argument for the program (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var env = new Option<string[]>("--env", "-e") { Description = "An environment variable NAME=VALUE (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var timeoutMs = new Option<long?>("--timeout-ms") { Description = "Wall-clock timeout in milliseconds." };
        var memoryMb = new Option<int?>("--memory-mb") { Description = "Memory limit in MiB." };
        var json = new Option<bool>("--json") { Description = "Print the finished job as JSON instead of streaming its output." };

        var command = new Command("run", "Run code in a fresh sandbox and stream its stdout and stderr as they come. " + ExitCodes.Description)
        {
            language, files, code, stdin, stdinFile, args, env, timeoutMs, memoryMb, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(code) is not null && result.GetValue(files) is { Length: > 0 })
            {
                result.AddError("give the code either with -c or as files, not both.");
            }

            if (result.GetValue(stdin) is not null && result.GetValue(stdinFile) is not null)
            {
                result.AddError("give --stdin or --stdin-file, not both.");
            }

            foreach (var pair in result.GetValue(env) ?? [])
            {
                if (pair.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    result.AddError($"--env '{pair}' is not NAME=VALUE.");
                }
            }
        });

        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var request = await BuildRequestAsync(parseResult, new RequestOptions(language, files, code, stdin, stdinFile, args, env, timeoutMs, memoryMb), cancellationToken).ConfigureAwait(false);
            using var client = CliEnvironment.CreateClient();
            return await RunAsync(client, request, parseResult.GetValue(json), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CordonClient client, CreateJobRequest request, bool json, CancellationToken cancellationToken)
    {
        var job = await client.CreateJobAsync(request, idempotencyKey: null, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!job.Status.IsTerminal())
            {
                job = await FollowAsync(client, job.Id, echo: !json, cancellationToken).ConfigureAwait(false);
            }
            else if (!json)
            {
                await JobPrinter.WriteOutputAsync(job, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the job must not run on without anyone watching it.
            using var timeout = new CancellationTokenSource(CancelTimeout);
            job = await client.CancelJobAsync(job.Id, timeout.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"cordon: cancelled job {job.Id}");
            return ExitCodes.Cancelled;
        }

        if (json)
        {
            JobPrinter.WriteJson(job);
        }
        else
        {
            JobPrinter.WriteEnding(job);
        }

        return JobOutcome.ExitCode(job);
    }

    private static async Task<Job> FollowAsync(CordonClient client, string jobId, bool echo, CancellationToken cancellationToken)
    {
        await foreach (var item in client.StreamJobEventsAsync(jobId, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (item)
            {
                case JobOutputChunk chunk when echo:
                    var writer = chunk.Stream == JobOutputStream.Stdout ? Console.Out : Console.Error;
                    await JobPrinter.WriteAsync(writer, chunk.Text, cancellationToken).ConfigureAwait(false);
                    break;
                case JobResultEvent result:
                    return result.Job;
            }
        }

        // The client only ends a stream without a result by throwing; a server that closes it early is asked directly.
        return await client.GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CreateJobRequest> BuildRequestAsync(ParseResult parseResult, RequestOptions options, CancellationToken cancellationToken)
    {
        var stdinFile = parseResult.GetValue(options.StdinFile);
        var code = parseResult.GetValue(options.Code);
        var paths = parseResult.GetValue(options.Files) ?? [];
        IReadOnlyList<JobFile>? files = null;
        if (paths.Length > 0)
        {
            files = await Task.WhenAll(paths.Select(path => ReadFileAsync(path, cancellationToken))).ConfigureAwait(false);
        }
        else if (code is null)
        {
            if (!Console.IsInputRedirected || stdinFile == InputReader.StandardInput)
            {
                throw new CliException("no code to run: give it with -c CODE, as FILE arguments, or on stdin (cordon run python < main.py).", ExitCodes.Usage);
            }

            code = await InputReader.ReadProcessStdinAsync(cancellationToken).ConfigureAwait(false);
        }

        var timeout = parseResult.GetValue(options.TimeoutMs);
        var memory = parseResult.GetValue(options.MemoryMb);
        var env = parseResult.GetValue(options.Env) ?? [];
        var args = parseResult.GetValue(options.Args) ?? [];
        return new CreateJobRequest
        {
            Language = parseResult.GetRequiredValue(options.Language),
            Code = code,
            Files = files,
            Entrypoint = files?[0].Path,
            Args = args.Length == 0 ? null : args,
            Stdin = await InputReader.ReadStdinAsync(parseResult.GetValue(options.Stdin), stdinFile, cancellationToken).ConfigureAwait(false),
            Env = env.Length == 0 ? null : env.Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal),
            Limits = timeout is null && memory is null ? null : new ResourceLimits { TimeoutMs = timeout, MemoryMb = memory },
        };
    }

    private static async Task<JobFile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"no such file: {path}", ExitCodes.Usage);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        string content;
        string encoding;
        try
        {
            content = utf8.GetString(bytes);
            encoding = "utf8";
        }
        catch (DecoderFallbackException)
        {
            content = Convert.ToBase64String(bytes);
            encoding = "base64";
        }

        return new JobFile { Path = WorkspacePath(path), Content = content, Encoding = encoding };
    }

    /// <summary>A relative path that stays inside the current directory keeps its folders; anything else its name only.</summary>
    private static string WorkspacePath(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path)).Replace('\\', '/');
        return Path.IsPathRooted(path) || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? Path.GetFileName(path)
            : relative;
    }

    private sealed record RequestOptions(
        Argument<string> Language,
        Argument<string[]> Files,
        Option<string?> Code,
        Option<string?> Stdin,
        Option<string?> StdinFile,
        Option<string[]> Args,
        Option<string[]> Env,
        Option<long?> TimeoutMs,
        Option<int?> MemoryMb);
}
