using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon secrets list</c>: one line per secret (name, created, updated); <c>--json</c> for the API's answer.</summary>
internal static class SecretsListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("list", "List your tenant's secrets by name (values are never shown).") { json };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            var secrets = await client.ListSecretsAsync(cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonOutput.Serialize(secrets));
                return ExitCodes.Success;
            }

            foreach (var secret in secrets)
            {
                Console.Out.WriteLine($"{secret.Name}\tcreated {secret.CreatedAt:u}\tupdated {secret.UpdatedAt:u}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
