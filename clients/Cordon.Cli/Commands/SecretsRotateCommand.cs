using System.CommandLine;

namespace Cordon.Cli.Commands;

/// <summary>
/// <c>cordon secrets rotate-master-key</c> (scope <c>admin</c>): the control plane makes a new master key next to its
/// key file, re-wraps every tenant's data keys with it and deletes the old key; safe to run again after a failure.
/// </summary>
internal static class SecretsRotateCommand
{
    public static Command Create()
    {
        var command = new Command("rotate-master-key", "Re-wrap every secret's data key by a new master key (token scope: admin).");
        command.SetHandler(async (_, cancellationToken) =>
        {
            using var client = CliEnvironment.CreateClient();
            var rotation = await client.RotateMasterKeyAsync(cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"master key {rotation.PreviousKeyId} -> {rotation.KeyId}: {rotation.Rewrapped} data key(s) re-wrapped");
            return ExitCodes.Success;
        });
        return command;
    }
}
