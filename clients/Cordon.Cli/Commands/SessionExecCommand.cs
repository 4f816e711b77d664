using System.CommandLine;
using Cordon.Contracts.Sessions;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session exec</c>: runs code or a shell command in a session.</summary>
internal static class SessionExecCommand
{
    public static Command Create()
    {
        var id = SessionCommand.IdArgument();
        var code = new Option<string?>("--code", "-c") { Description = "Code in the session's language; interpreter state persists between calls." };
        var shell = new Option<string?>("--command") { Description = "A shell command, run by /bin/sh -c in /workspace." };
        var stdin = new Option<string?>("--stdin") { Description = "Text passed to stdin (byte-exact)." };
        var stdinFile = new Option<string?>("--stdin-file") { Description = "A file passed to stdin; - for this process's stdin." };
        var timeoutMs = new Option<long?>("--timeout-ms") { Description = "Timeout of this execution in milliseconds." };
        var json = new Option<bool>("--json") { Description = "Print the execution as JSON instead of its output." };
        var command = new Command("exec", "Run code (-c) or a shell command (--command) in a session. " + ExitCodes.Description)
        {
            id, code, shell, stdin, stdinFile, timeoutMs, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(code) is null) == (result.GetValue(shell) is null))
            {
                result.AddError("give exactly one of -c CODE or --command CMD.");
            }

            if (result.GetValue(stdin) is not null && result.GetValue(stdinFile) is not null)
            {
                result.AddError("give --stdin or --stdin-file, not both.");
            }
        });
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var request = new ExecRequest
            {
                Code = parseResult.GetValue(code),
                Command = parseResult.GetValue(shell),
                Stdin = await InputReader.ReadStdinAsync(parseResult.GetValue(stdin), parseResult.GetValue(stdinFile), cancellationToken).ConfigureAwait(false),
                TimeoutMs = parseResult.GetValue(timeoutMs),
                Wait = true,
            };
            using var client = CliEnvironment.CreateClient();
            var execution = await client.ExecAsync(parseResult.GetRequiredValue(id), request, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                JobPrinter.WriteJson(execution);
            }
            else
            {
                await JobPrinter.WriteOutputAsync(execution, cancellationToken).ConfigureAwait(false);
                JobPrinter.WriteEnding(execution);
            }

            return JobOutcome.ExitCode(execution);
        });
        return command;
    }
}
