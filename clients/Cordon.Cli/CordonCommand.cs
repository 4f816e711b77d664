using System.CommandLine;
using Cordon.Cli.Commands;

namespace Cordon.Cli;

/// <summary>The root command: one subcommand per verb.</summary>
internal static class CordonCommand
{
    public static RootCommand Create() => new(
        "cordon: run untrusted code in Cordon's sandboxes. Talks to CORDON_URL (default " + CliEnvironment.DefaultUrl +
        ") with the bearer token in CORDON_TOKEN.")
    {
        TokenCommand.Create(),
        RunCommand.Create(),
        SessionCommand.Create(),
        McpCommand.Create(),
        PolicyCommand.Create(),
        SecretsCommand.Create(),
        AuditCommand.Create(),
    };
}
