using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session get</c>: downloads a file from a session's workspace.</summary>
internal static class SessionGetCommand
{
    public static Command Create()
    {
        var id = SessionCommand.IdArgument();
        var remote = new Argument<string>("remote-path") { Description = "Path relative to /workspace." };
        var local = new Argument<string?>("local-file") { Description = "Where to write it (default: its name in the current directory); - for stdout.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "Download a file from a session's /workspace.") { id, remote, local };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var remotePath = parseResult.GetRequiredValue(remote);
            var localPath = parseResult.GetValue(local) is { Length: > 0 } given ? given : Path.GetFileName(remotePath.TrimEnd('/'));
            using var client = CliEnvironment.CreateClient();
            if (localPath == InputReader.StandardInput)
            {
                await using var stdout = Console.OpenStandardOutput();
                await client.DownloadFileAsync(parseResult.GetRequiredValue(id), remotePath, stdout, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            // Download first so a missing remote file leaves no empty local file behind.
            var bytes = await client.GetFileAsync(parseResult.GetRequiredValue(id), remotePath, cancellationToken).ConfigureAwait(false);
            await File.WriteAllBytesAsync(localPath, bytes, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
