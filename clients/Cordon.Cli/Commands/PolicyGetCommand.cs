using System.CommandLine;
using System.Text.Json;

namespace Cordon.Cli.Commands;

/// <summary>
/// <c>cordon policy get TENANT</c>: prints the tenant's policy document (so <c>get &gt; f; edit f; set TENANT f</c> round
/// trips) and its version on stderr; <c>--json</c> prints the whole answer with version and history fields.
/// </summary>
internal static class PolicyGetCommand
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static Command Create()
    {
        var tenant = PolicyCommand.TenantArgument();
        var json = new Option<bool>("--json") { Description = "Print the document with its version, default flag and who set it when, as JSON." };
        var command = new Command("get", "Print a tenant's policy document; its version goes to stderr.") { tenant, json };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            var policy = await client.GetTenantPolicyAsync(parseResult.GetRequiredValue(tenant), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonOutput.Serialize(policy));
                return ExitCodes.Success;
            }

            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                policy.Document.WriteTo(writer);
            }

            Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            await Console.Error.WriteLineAsync($"version {policy.Version}{(policy.IsDefault ? " (the default: the tenant has no document of its own)" : $", set by {policy.UpdatedBy} at {policy.UpdatedAt:u}")}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
