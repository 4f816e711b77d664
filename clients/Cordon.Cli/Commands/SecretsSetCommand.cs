using System.CommandLine;
using System.Text;

namespace Cordon.Cli.Commands;

/// <summary>
/// <c>cordon secrets set NAME [FILE]</c>: the value comes from FILE (byte-exact) or stdin (one trailing newline
/// dropped, so <c>echo tok | cordon secrets set X</c> stores <c>tok</c>) — never from an argument, which the process
/// list and shell history would show.
/// </summary>
internal static class SecretsSetCommand
{
    public static Command Create()
    {
        var name = SecretsCommand.NameArgument();
        var file = new Argument<string?>("file") { Description = "A file holding the value; - or nothing for stdin.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("set", "Create or replace a secret; the value is read from FILE or stdin.") { name, file };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file);
            string value;
            if (string.IsNullOrEmpty(path) || path == InputReader.StandardInput)
            {
                value = await InputReader.ReadProcessStdinAsync(cancellationToken).ConfigureAwait(false);
                value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
            }
            else if (File.Exists(path))
            {
                value = await File.ReadAllTextAsync(path, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new CliException($"no such file: {path}", ExitCodes.Usage);
            }

            using var client = CliEnvironment.CreateClient();
            var secret = parseResult.GetRequiredValue(name);
            await client.PutSecretAsync(secret, value, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"{secret}: stored");
            return ExitCodes.Success;
        });
        return command;
    }
}
