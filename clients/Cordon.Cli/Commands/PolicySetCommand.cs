using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon policy set TENANT [FILE]</c>: sets the tenant's policy document from FILE or stdin.</summary>
internal static class PolicySetCommand
{
    public static Command Create()
    {
        var tenant = PolicyCommand.TenantArgument();
        var file = new Argument<string?>("file") { Description = "The JSON policy document; - or nothing for stdin.", Arity = ArgumentArity.ZeroOrOne };
        var ifMatch = new Option<string?>("--if-match") { Description = "Apply only while the current version is this one (as `policy get` printed it)." };
        var command = new Command("set", "Set a tenant's policy document; prints the new version.") { tenant, file, ifMatch };
        command.SetHandler(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file);
            string document;
            if (string.IsNullOrEmpty(path) || path == InputReader.StandardInput)
            {
                document = await InputReader.ReadProcessStdinAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (File.Exists(path))
            {
                document = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new CliException($"no such file: {path}", ExitCodes.Usage);
            }

            using var client = CliEnvironment.CreateClient();
            var policy = await client.PutTenantPolicyAsync(parseResult.GetRequiredValue(tenant), document, parseResult.GetValue(ifMatch), cancellationToken)
                .ConfigureAwait(false);
            Console.Out.WriteLine($"{policy.Tenant}: version {policy.Version}");
            return ExitCodes.Success;
        });
        return command;
    }
}
