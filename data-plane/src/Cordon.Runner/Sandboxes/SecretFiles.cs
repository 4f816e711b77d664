using Cordon.Contracts.Runner.Agent;
using Cordon.Contracts.Runner.V1;
using Cordon.Runner.Agent;

namespace Cordon.Runner.Sandboxes;

/// <summary>
/// A new sandbox's file secrets, handed to its agent before anything runs there: they exist only in the sandbox's
/// <c>/run/secrets</c> tmpfs, never on the runner's disk.
/// </summary>
internal static class SecretFiles
{
    public static async Task WriteAsync(Sandbox sandbox, IReadOnlyList<Secret> secrets, CancellationToken cancellationToken)
    {
        var files = secrets.Where(s => s.File).Select(s => new AgentSecretFile { Name = s.Name, Content = s.Value.ToByteArray() }).ToList();
        if (files.Count > 0)
        {
            await sandbox.Agent.CallAsync<AgentOk>(new AgentWriteSecrets { Files = files }, null, AgentLimits.FileDeadline, cancellationToken);
        }
    }
}
