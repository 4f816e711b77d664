using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session put</c>: uploads a file into a session's workspace.</summary>
internal static class SessionPutCommand
{
    public static Command Create()
    {
        var id = SessionCommand.IdArgument();
        var local = new Argument<string>("local-file") { Description = "The file to upload; - for this process's stdin." };
        var remote = new Argument<string?>("remote-path") { Description = "Path relative to /workspace (default: the local file's name).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("put", "Upload a file into a session's /workspace.") { id, local, remote };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var localPath = parseResult.GetRequiredValue(local);
            var remotePath = parseResult.GetValue(remote);
            if (localPath == InputReader.StandardInput && string.IsNullOrEmpty(remotePath))
            {
                throw new CliException("uploading stdin needs a remote-path.", ExitCodes.Usage);
            }

            if (localPath != InputReader.StandardInput && !File.Exists(localPath))
            {
                throw new CliException($"no such file: {localPath}", ExitCodes.Usage);
            }

            await using var content = localPath == InputReader.StandardInput ? Console.OpenStandardInput() : File.OpenRead(localPath);
            using var client = CliEnvironment.CreateClient();
            await client.PutFileAsync(parseResult.GetRequiredValue(id), string.IsNullOrEmpty(remotePath) ? Path.GetFileName(localPath) : remotePath,
                content, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
