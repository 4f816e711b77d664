using System.CommandLine;
using Cordon.Contracts.Jobs;
using Cordon.Contracts.Sessions;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session create</c>: starts a session and prints its id.</summary>
internal static class SessionCreateCommand
{
    public static Command Create()
    {
        var language = new Argument<string>("language") { Description = "A language or alias from GET /v1/runtimes." };
        var idle = new Option<int?>("--idle-timeout-sec") { Description = "Seconds without activity before the session ends (server default 600)." };
        var ttl = new Option<int?>("--ttl-sec") { Description = "Maximum life of the session in seconds (server default 3600)." };
        var timeoutMs = new Option<long?>("--timeout-ms") { Description = "Default per-execution timeout in milliseconds." };
        var memoryMb = new Option<int?>("--memory-mb") { Description = "Memory limit in MiB." };
        var json = new Option<bool>("--json") { Description = "Print the session as JSON instead of its id." };
        var command = new Command("create", "Start a session and print its id.") { language, idle, ttl, timeoutMs, memoryMb, json };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var timeout = parseResult.GetValue(timeoutMs);
            var memory = parseResult.GetValue(memoryMb);
            using var client = CliEnvironment.CreateClient();
            var session = await client.CreateSessionAsync(new CreateSessionRequest
            {
                Language = parseResult.GetRequiredValue(language),
                IdleTimeoutSec = parseResult.GetValue(idle),
                TtlSec = parseResult.GetValue(ttl),
                Limits = timeout is null && memory is null ? null : new ResourceLimits { TimeoutMs = timeout, MemoryMb = memory },
            }, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parseResult.GetValue(json) ? JsonOutput.Serialize(session) : session.Id);
            return ExitCodes.Success;
        });
        return command;
    }
}
