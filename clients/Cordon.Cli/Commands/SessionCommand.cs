using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary><c>cordon session</c>: the stateful sandboxes.</summary>
internal static class SessionCommand
{
    public static Command Create() => new("session", "Create, use and delete stateful sessions (sandboxes kept between executions).")
    {
        SessionCreateCommand.Create(),
        SessionExecCommand.Create(),
        SessionPutCommand.Create(),
        SessionGetCommand.Create(),
        SessionLsCommand.Create(),
        SessionRmCommand.Create(),
    };

    /// <summary>The session id argument every subcommand takes first.</summary>
    public static Argument<string> IdArgument() => new("id") { Description = "The session id (printed by `cordon session create`)." };
}
