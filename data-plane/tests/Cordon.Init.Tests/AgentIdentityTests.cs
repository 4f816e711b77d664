using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

/// <summary>
/// The agent's identity and channel (issue 15 items 1 and 3): programs run as the job uid with every capability
/// set empty; workspace files the agent writes belong to the job; the agent stops when the runner's channel closes.
/// </summary>
public sealed class AgentIdentityTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _agent = await AgentHost.StartAsync(Token);

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    [Fact]
    public async Task Spawn_Program_RunsAsTheJobUidWithNoCapabilitiesAndNoNewPrivs()
    {
        // The agent itself runs as root here: everything below is the helper's drop, not an inherited state.
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["grep", "-E", "^(Uid|Gid|Groups|Cap...|NoNewPrivs):", "/proc/self/status"] }, Token);

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => string.Join(' ', p[1].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)));
        var id = AgentHost.JobUid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{id} {id} {id} {id}", lines["Uid"]);
        Assert.Equal($"{id} {id} {id} {id}", lines["Gid"]);
        Assert.Equal("", lines["Groups"]);
        foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
        {
            Assert.True(lines[set] == "0000000000000000", $"{set}: {lines[set]}");
        }

        Assert.Equal("1", lines["NoNewPrivs"]);
    }

    [Fact]
    public async Task WriteFile_ThroughTheAgent_BelongsToTheJobUid()
    {
        var write = await _agent.CallAsync(new AgentWriteFile { Path = "dir/owned.txt", Content = "x"u8.ToArray() }, Token);
        var stat = await _agent.CallAsync(new AgentSpawn { Argv = ["stat", "-c", "%u:%g", "dir/owned.txt", "dir"] }, Token);

        Assert.IsType<AgentOk>(write.Reply);
        var id = AgentHost.JobUid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"{id}:{id}\n{id}:{id}\n", stat.Stdout);
    }

    [Fact]
    public async Task Spawn_CwdTheJobCannotEnter_FailsWithSpawnFailed()
    {
        // The helper changes directory as the job: a directory only root may enter is refused, not entered.
        var result = await _agent.CallAsync(new AgentSpawn { Argv = ["true"], Cwd = "/root" }, Token);

        var error = Assert.IsType<AgentError>(result.Reply);
        Assert.Equal(AgentErrorCodes.SpawnFailed, error.Code);
        Assert.Contains("denied", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ControlChannel_ClosedByTheRunner_StopsTheAgent()
    {
        Assert.IsType<AgentHealth>((await _agent.CallAsync(new AgentHealthQuery(), Token)).Reply);

        _agent.HangUpChannel();

        var exit = await _agent.Exited.WaitAsync(TimeSpan.FromSeconds(10), Token);
        Assert.Equal(0, exit);
    }
}
