using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon policy</c>: tenants' policy documents (needs a token with the <c>admin</c> scope).</summary>
internal static class PolicyCommand
{
    public static Command Create() => new("policy", "Read and set tenants' policy documents (token scope: admin).")
    {
        PolicyGetCommand.Create(),
        PolicySetCommand.Create(),
    };

    /// <summary>The tenant argument both subcommands take first.</summary>
    public static Argument<string> TenantArgument() => new("tenant") { Description = "The tenant id." };
}
