using Cordon.Contracts.Runner.Agent;

namespace Cordon.Init.Tests;

/// <summary>Each test gets its own agent, socket and workspace.</summary>
public abstract class AgentTestBase : IAsyncLifetime
{
    private AgentProcess? _agent;

    internal AgentProcess Agent => _agent ?? throw new InvalidOperationException("Not initialized.");

    internal AgentClient Client => Agent.Client;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _agent = await AgentProcess.StartAsync(Token);

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    internal Task<AgentResult> SpawnAsync(string[] argv, byte[]? stdin = null, long timeoutMs = 20_000, long outputBytes = 0) =>
        Client.SendAsync(new AgentSpawn { Argv = argv, Stdin = stdin, TimeoutMs = timeoutMs, OutputBytes = outputBytes }, Token);

    internal static bool IsAlive(int pid)
    {
        try
        {
            // A zombie still has /proc/<pid>, but it is dead: look at the state field.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static async Task<bool> WaitUntilDeadAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsAlive(pid))
            {
                return true;
            }

            await Task.Delay(20, Token);
        }

        return !IsAlive(pid);
    }
}
