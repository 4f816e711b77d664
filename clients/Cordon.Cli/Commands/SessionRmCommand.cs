using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session rm</c>: deletes a session (the sandbox is destroyed and its workspace wiped).</summary>
internal static class SessionRmCommand
{
    public static Command Create()
    {
        var id = SessionCommand.IdArgument();
        var command = new Command("rm", "Delete a session: its sandbox is destroyed and its workspace wiped.") { id };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            await client.DeleteSessionAsync(parseResult.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
