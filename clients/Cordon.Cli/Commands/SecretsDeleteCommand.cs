using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon secrets delete NAME</c>.</summary>
internal static class SecretsDeleteCommand
{
    public static Command Create()
    {
        var name = SecretsCommand.NameArgument();
        var command = new Command("delete", "Delete a secret.") { name };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            var secret = parseResult.GetRequiredValue(name);
            await client.DeleteSecretAsync(secret, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"{secret}: deleted");
            return ExitCodes.Success;
        });
        return command;
    }
}
