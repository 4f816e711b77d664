using Cordon.Contracts.Runner.V1;
using File = System.IO.File;

namespace Cordon.Runner.Tests;

/// <summary>Issue 15.6: a crashed runner's sandbox keeps its uid slot by name until the restarted runner reaped it.</summary>
public sealed class SlotRecoveryTests
{
    private const string SlotLocks = "/run/cordon-runner/slots";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_AfterACrash_ReclaimsTheLeftoversSlotAndFreesItOnceReaped()
    {
        string id;
        string dataDirectory;
        await using (var first = new RunnerProcess())
        {
            await first.InitializeAsync();
            dataDirectory = first.DataDirectory;
            id = (await first.Client.CreateSandboxAsync(new CreateSandboxRequest { Tenant = "t", Language = "bash" }, first.Auth, cancellationToken: Token)).SandboxId;
            first.Kill(); // SIGKILL: the slot's lock dies, the sandbox lives on
        }

        var slot = SlotNaming(id);
        Assert.NotNull(slot); // the name outlives the lock: no other runner takes this range meanwhile

        await using var second = new RunnerProcess { DataDirectory = dataDirectory };
        await second.InitializeAsync();

        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "sandboxes", id)));
        Assert.Null(SlotNaming(id));
    }

    private static string? SlotNaming(string id) =>
        Directory.EnumerateFiles(SlotLocks, "*.lock").FirstOrDefault(file =>
        {
            try
            {
                return File.ReadAllText(file).Contains(id, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // held by a live runner
            }
        });
}
