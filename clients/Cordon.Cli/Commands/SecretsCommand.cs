using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon secrets</c>: the caller's tenant's secrets (scope <c>secrets:write</c>) and the master key (scope <c>admin</c>).</summary>
internal static class SecretsCommand
{
    public static Command Create() => new("secrets", "Store, list and delete your tenant's secrets (token scope: secrets:write); rotate the master key (admin).")
    {
        SecretsSetCommand.Create(),
        SecretsListCommand.Create(),
        SecretsDeleteCommand.Create(),
        SecretsRotateCommand.Create(),
    };

    public static Argument<string> NameArgument() => new("name") { Description = "The secret's name: A-Z, 0-9 and '_', not starting with a digit." };
}
