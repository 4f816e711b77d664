using System.CommandLine;
using System.Globalization;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session ls</c>: lists a directory of a session's workspace.</summary>
internal static class SessionLsCommand
{
    public static Command Create()
    {
        var id = SessionCommand.IdArgument();
        var path = new Argument<string?>("path") { Description = "Directory relative to /workspace (default: the workspace).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print the entries as JSON." };
        var command = new Command("ls", "List a directory of a session's /workspace.") { id, path, json };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            var files = await client.ListFilesAsync(parseResult.GetRequiredValue(id), parseResult.GetValue(path), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonOutput.Serialize(files));
                return ExitCodes.Success;
            }

            foreach (var file in files)
            {
                var size = file.IsDirectory ? "-" : file.Size.ToString(CultureInfo.InvariantCulture);
                var modified = file.ModifiedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                Console.Out.WriteLine($"{size,12}  {modified}  {file.Path}{(file.IsDirectory ? "/" : "")}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
